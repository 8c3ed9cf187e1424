package dev.quarry.workers.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.config.TemporalSettings;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API key of hosted Temporal: read from the variable the settings name, sent only as a bearer
 * token, and only over TLS. The frontend here is a real TLS gRPC server that records the headers it
 * receives (the TLS Temporal Server has no authorizer, so it would not show them).
 */
class TemporalClientsApiKeyTest {
  @TempDir Path temp;

  @Test
  void theApiKeyTravelsAsABearerTokenOverTlsAndNeverInErrors() throws Exception {
    Path certs = temp.resolve("certs");
    Process make =
        new ProcessBuilder(
                Path.of("..", "scripts", "make-test-certs.sh").toAbsolutePath().toString(),
                certs.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertEquals(0, make.waitFor());
    List<String> authorizations = new CopyOnWriteArrayList<>();
    ServerInterceptor recorder =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            authorizations.add(
                String.valueOf(
                    headers.get(
                        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER))));
            return next.startCall(call, headers);
          }
        };
    // A TLS-only server with the gRPC health service Temporal's health check calls, recording
    // headers.
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(
        "temporal.api.workflowservice.v1.WorkflowService",
        HealthCheckResponse.ServingStatus.SERVING);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.forServer(
                        certs.resolve("server.pem").toFile(), certs.resolve("server.key").toFile())
                    .build())
            .addService(ServerInterceptors.intercept(health.getHealthService(), recorder))
            .build()
            .start();
    try {
      QuarrySettings settings = new QuarrySettings();
      settings.getTemporal().setAddress("127.0.0.1:" + server.getPort());
      settings.getTemporal().getSecurity().setServerCa(certs.resolve("ca.pem").toString());
      settings.getTemporal().getSecurity().setApiKeyEnv("HOSTED_TEMPORAL_KEY");
      Map<String, String> env = Map.of("HOSTED_TEMPORAL_KEY", "tk-abc123-secret");

      WorkflowServiceStubs service = TemporalClients.serviceStubs(settings, null, env::get);
      try {
        service.healthCheck(); // answered by the TLS-only server: TLS was on
      } finally {
        service.shutdownNow();
      }
      assertEquals("Bearer tk-abc123-secret", authorizations.get(0));

      // A refused connection's message names the setting, never the key.
      QuarrySettings unreachable = new QuarrySettings();
      unreachable.getTemporal().setAddress("127.0.0.1:1");
      unreachable.getTemporal().getSecurity().setApiKeyEnv("HOSTED_TEMPORAL_KEY");
      WorkflowServiceStubs nowhere = TemporalClients.serviceStubs(unreachable, null, env::get);
      try {
        RuntimeException refused = assertThrows(RuntimeException.class, nowhere::healthCheck);
        assertFalse(
            ConnectionFailure.explain(
                    "127.0.0.1:1", unreachable.getTemporal().getSecurity(), refused)
                .contains("tk-abc123"));
      } finally {
        nowhere.shutdownNow();
      }

      // No key in the environment: no Authorization header at all.
      authorizations.clear();
      WorkflowServiceStubs keyless = TemporalClients.serviceStubs(settings, null, name -> null);
      try {
        keyless.healthCheck();
      } finally {
        keyless.shutdownNow();
      }
      assertEquals(List.of("null"), authorizations.subList(0, 1));
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void aTlsClientOfAPlainServerIsToldTheServerMayNotSpeakTls() throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    Server plain =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(health.getHealthService())
            .build()
            .start();
    try {
      QuarrySettings settings = new QuarrySettings();
      settings.getTemporal().setAddress("127.0.0.1:" + plain.getPort());
      settings.getTemporal().getSecurity().setTls(true);
      settings.getTemporal().getSecurity().setApiKeyEnv("");
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> TemporalConnection.open(settings).close());
      assertTrue(
          e.getMessage().startsWith("TLS handshake")
              && e.getMessage().contains("may not speak TLS"),
          e.getMessage());
    } finally {
      plain.shutdownNow();
    }
  }

  @Test
  void anApiKeyAloneTurnsTlsOn() {
    TemporalSettings.Security security = new TemporalSettings.Security();
    assertFalse(TemporalTls.wanted(security, false), "nothing configured: plain, as before");
    assertTrue(TemporalTls.wanted(security, true));
  }

  @Test
  void halfAClientCertificateIsRefusedBeforeConnecting() {
    QuarrySettings settings = new QuarrySettings();
    settings.getTemporal().getSecurity().setClientCert("/some/cert.pem");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemporalClients.serviceStubs(settings, null, name -> null));
    assertTrue(e.getMessage().contains("QUARRY_TEMPORAL_TLS_CLIENT_KEY"), e.getMessage());
    settings.getTemporal().getSecurity().setClientKey("/some/cert.key");
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemporalClients.serviceStubs(settings, null, name -> null));
    assertTrue(
        missing.getMessage().contains("/some/cert.pem")
            && missing.getMessage().contains("does not exist"),
        missing.getMessage());
  }
}
