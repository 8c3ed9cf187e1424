package dev.quarry.activities.visibility;

import dev.quarry.activities.support.Failures;
import dev.quarry.workflows.QuarrySearchAttributes;
import dev.quarry.workflows.activities.VisibilityActivities;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.Set;
import java.util.TreeSet;

/** Asks the namespace (operator service) which custom search attributes it has. */
public final class VisibilityActivitiesImpl implements VisibilityActivities {
  private final WorkflowClient client;

  public VisibilityActivitiesImpl(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Set<String> registeredSearchAttributes() {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(client.getWorkflowServiceStubs().getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      var registered =
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .build())
              .getCustomAttributesMap()
              .keySet();
      Set<String> ours = new TreeSet<>(QuarrySearchAttributes.TYPES.keySet());
      ours.retainAll(registered);
      return ours;
    } catch (RuntimeException e) {
      throw Failures.infrastructure(
          "TemporalUnavailable", "cannot list search attributes: " + e.getMessage(), e);
    } finally {
      operator.shutdown();
    }
  }
}
