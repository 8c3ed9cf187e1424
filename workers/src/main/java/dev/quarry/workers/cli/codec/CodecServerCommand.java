package dev.quarry.workers.cli.codec;

import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.TemporalClients;
import dev.quarry.workers.temporal.codec.AesGcmPayloadCodec;
import dev.quarry.workers.temporal.codec.CodecServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quarry codec-server}: serves the payload codec of this machine's settings to the Temporal
 * web UI and CLI, until SIGTERM or SIGINT.
 */
@Command(
    name = "codec-server",
    description = {
      "Serve Temporal's codec server protocol (POST /encode, /decode) with the payload keys of the"
          + " settings (QUARRY_PAYLOAD_KEYS or quarry.temporal.security.payload-keys-file), so the web UI"
          + " shows decrypted payloads: Settings > Codec Server > this address. See docs/security.md."
    })
public class CodecServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Inject QuarrySettings settings;

  @Option(
      names = "--port",
      defaultValue = "8234",
      description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}). Whoever reaches it can decrypt payloads.")
  String host;

  @Option(
      names = "--cors-origin",
      description =
          "Web UI origin allowed to call from a browser; repeatable (default: the UI of the settings,"
              + " http://127.0.0.1:<ui-port> and http://localhost:<ui-port>).")
  List<String> origins;

  @Option(
      names = "--auth-token-env",
      description =
          "Name of an environment variable holding a token: then every request must carry"
              + " 'Authorization: Bearer <token>' (the CLI: temporal --codec-auth 'Bearer <token>').")
  String authTokenEnv;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<AesGcmPayloadCodec> codec;
    try {
      codec = TemporalClients.codec(settings.getTemporal().getSecurity(), System::getenv);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    if (codec.isEmpty()) {
      err.println(
          "no payload keys configured: set QUARRY_PAYLOAD_KEYS (ID:BASE64KEY, ...) or"
              + " QUARRY_PAYLOAD_KEYS_FILE, the same keys the workers use (docs/security.md)");
      err.flush();
      return 2;
    }
    Optional<String> token = Optional.empty();
    if (authTokenEnv != null && !authTokenEnv.isBlank()) {
      String value = System.getenv(authTokenEnv);
      if (value == null || value.isBlank()) {
        err.println("--auth-token-env names " + authTokenEnv + ", which is not set or empty");
        err.flush();
        return 2;
      }
      token = Optional.of(value.strip());
    }
    CodecServer server = new CodecServer(codec.get(), allowedOrigins(), token);
    try {
      server.start(host, port);
    } catch (IOException | RuntimeException e) {
      err.println(
          "cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (choose another with --port)");
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "quarry-codec-server-shutdown"));
    out.println(
        "codec server on http://"
            + host
            + ":"
            + server.port()
            + " for origins "
            + allowedOrigins()
            + (token.isPresent() ? ", bearer token required" : ""));
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private Set<String> allowedOrigins() {
    if (origins != null && !origins.isEmpty()) {
      return new LinkedHashSet<>(origins);
    }
    int uiPort = settings.getTemporal().getUiPort();
    return new LinkedHashSet<>(
        List.of(
            settings.getTemporal().uiAddress(),
            "http://127.0.0.1:" + uiPort,
            "http://localhost:" + uiPort));
  }
}
