package dev.quarry.workers.temporal;

import com.uber.m3.tally.Scope;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.config.TemporalSettings;
import dev.quarry.workers.temporal.codec.AesGcmPayloadCodec;
import dev.quarry.workers.temporal.codec.PayloadKeyRing;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place Quarry builds Temporal service stubs and clients, so every worker, CLI command and
 * the dev stack get the same connection security (TLS, client certificate, API key) and the same
 * data converter (payload encryption when keys are configured). Nothing configured: a plain
 * connection and the SDK's default converter, as before.
 */
public final class TemporalClients {
  private TemporalClients() {}

  /**
   * Service stubs for the settings' address, secured as the settings say; {@code metrics} may be
   * null.
   */
  public static WorkflowServiceStubs serviceStubs(QuarrySettings settings, Scope metrics) {
    return serviceStubs(settings, metrics, System::getenv);
  }

  static WorkflowServiceStubs serviceStubs(
      QuarrySettings settings, Scope metrics, Function<String, String> env) {
    TemporalSettings.Security security = settings.getTemporal().getSecurity();
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(settings.getTemporal().getAddress())
            .setRpcTimeout(Duration.ofSeconds(10));
    Optional<String> apiKey = apiKey(security, env);
    if (TemporalTls.wanted(security, apiKey.isPresent())) {
      options.setSslContext(TemporalTls.sslContext(security));
      String serverName = security.getServerName();
      if (!serverName.isBlank()) {
        // The name the server's certificate is checked against (and SNI), when the address is an
        // IP or a load balancer whose name differs from the certificate's.
        options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
      }
    }
    // The key is read once from the environment and only ever goes into the Authorization header.
    apiKey.ifPresent(key -> options.addApiKey(() -> key));
    if (metrics != null) {
      options.setMetricsScope(metrics);
    }
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  /** A client of the settings' namespace with Quarry's data converter. */
  public static WorkflowClient client(WorkflowServiceStubs service, QuarrySettings settings) {
    return client(service, settings, null);
  }

  /** As {@link #client(WorkflowServiceStubs, QuarrySettings)}, as {@code identity} if given. */
  public static WorkflowClient client(
      WorkflowServiceStubs service, QuarrySettings settings, String identity) {
    WorkflowClientOptions.Builder options = clientOptions(settings).toBuilder();
    if (identity != null) {
      options.setIdentity(identity);
    }
    return WorkflowClient.newInstance(service, options.build());
  }

  public static WorkflowClientOptions clientOptions(QuarrySettings settings) {
    return WorkflowClientOptions.newBuilder()
        .setNamespace(settings.getTemporal().getNamespace())
        .setDataConverter(dataConverter(settings.getTemporal().getSecurity(), System::getenv))
        .build();
  }

  /**
   * The SDK's default converter, wrapped in the encrypting codec when payload keys are configured.
   * Failure messages and stack traces are encrypted too: they can quote a prompt or a program.
   */
  public static DataConverter dataConverter(
      TemporalSettings.Security security, Function<String, String> env) {
    return codec(security, env)
        .<DataConverter>map(
            codec -> new CodecDataConverter(GlobalDataConverter.get(), List.of(codec), true))
        .orElse(GlobalDataConverter.get());
  }

  /** The encrypting codec, if the settings name payload keys. */
  public static Optional<AesGcmPayloadCodec> codec(
      TemporalSettings.Security security, Function<String, String> env) {
    return PayloadKeyRing.fromSettings(
            security.getPayloadKeysFile(), security.getPayloadKeysEnv(), env)
        .map(AesGcmPayloadCodec::new);
  }

  static Optional<String> apiKey(TemporalSettings.Security security, Function<String, String> env) {
    String name = security.getApiKeyEnv();
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    String value = env.apply(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
