package dev.quarry.workers.temporal;

import dev.quarry.workflows.QuarrySearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registers Quarry's search attributes on a namespace, adding only the missing ones. The dev
 * server's own --search-attribute flags apply to a fresh database only, so `quarry dev up` calls
 * this every time; other servers use temporal-config/register-search-attributes.sh.
 */
public final class SearchAttributeRegistration {
  private SearchAttributeRegistration() {}

  /**
   * @return the attributes that were missing and are now added
   */
  public static Map<String, String> ensure(WorkflowServiceStubs service, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      var existing =
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap();
      Map<String, String> missing = new TreeMap<>(QuarrySearchAttributes.TYPES);
      missing.keySet().removeAll(existing.keySet());
      if (!missing.isEmpty()) {
        AddSearchAttributesRequest.Builder add =
            AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
        missing.forEach(
            (name, type) ->
                add.putSearchAttributes(
                    name,
                    type.equals("Int")
                        ? IndexedValueType.INDEXED_VALUE_TYPE_INT
                        : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        operator.blockingStub().addSearchAttributes(add.build());
      }
      return missing;
    } finally {
      operator.shutdown();
    }
  }
}
