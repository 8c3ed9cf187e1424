package dev.quarry.workers.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The real Temporal Server (scripts/ensure-temporal-server.sh builds it) with
 * temporal-config/tls-dev.yaml: a frontend that accepts only mutual TLS with certificates from
 * scripts/make-test-certs.sh, SQLite in memory, on ten free consecutive ports.
 */
final class TemporalTlsServer implements AutoCloseable {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private final Process process;
  private final int port;
  final Path certs;

  private TemporalTlsServer(Process process, int port, Path certs) {
    this.process = process;
    this.port = port;
    this.certs = certs;
  }

  static Path binary() {
    String home = System.getenv().getOrDefault("QUARRY_HOME", REPO.resolve(".quarry").toString());
    Path binary = Path.of(home, "bin", "temporal-server");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary
              + " is missing: run scripts/ensure-temporal-server.sh (the TLS tests"
              + " need the real Temporal Server; the CLI dev server has no TLS)");
    }
    return binary;
  }

  static TemporalTlsServer start(Path dir) throws IOException, InterruptedException {
    Path certs = dir.resolve("certs");
    Process make =
        new ProcessBuilder(REPO.resolve("scripts/make-test-certs.sh").toString(), certs.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (make.waitFor() != 0) {
      throw new IllegalStateException("scripts/make-test-certs.sh failed");
    }
    int base = freeRange(10);
    Path log = dir.resolve("temporal-server.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                binary().toString(),
                "--root",
                "/",
                "--config",
                REPO.resolve("temporal-config").toString(),
                "--env",
                "tls-dev",
                "--allow-no-auth",
                "start")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("QUARRY_TLS_DIR", certs.toString());
    builder.environment().put("QUARRY_TLS_PORT_BASE", Integer.toString(base));
    builder
        .environment()
        .put(
            "QUARRY_DYNAMIC_CONFIG",
            REPO.resolve("temporal-config/dynamic-config.yaml").toString());
    TemporalTlsServer server = new TemporalTlsServer(builder.start(), base, certs);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (!TemporalDevServer.portOpen(base)) {
      if (!server.process.isAlive() || Instant.now().isAfter(deadline)) {
        server.close();
        throw new IllegalStateException(
            "temporal-server did not start: see " + log + "\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    return server;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  Path cert(String name) {
    return certs.resolve(name);
  }

  /** The first of {@code count} consecutive ports that are free now. */
  private static int freeRange(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket socket = new ServerSocket(0)) {
        base = socket.getLocalPort();
      }
      if (base + count > 65535) {
        continue;
      }
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket probe = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
          probe.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no ten consecutive free ports found");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
