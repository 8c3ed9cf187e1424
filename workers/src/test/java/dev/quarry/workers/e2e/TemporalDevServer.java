package dev.quarry.workers.e2e;

import dev.quarry.workers.cli.dev.DevStack;
import dev.quarry.workflows.QuarrySearchAttributes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real Temporal CLI dev server on free ports, with SQLite in a temp folder. */
final class TemporalDevServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final int uiPort;

  private TemporalDevServer(Process process, int port, int uiPort) {
    this.process = process;
    this.port = port;
    this.uiPort = uiPort;
  }

  static TemporalDevServer start(Path dir) throws IOException, InterruptedException {
    String binary = DevStack.temporalBinary();
    int port = freePort();
    int uiPort = freePort();
    Files.createDirectories(dir);
    Process process =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(
                            binary,
                            "server",
                            "start-dev",
                            "--ip",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(port),
                            "--ui-port",
                            Integer.toString(uiPort),
                            "--db-filename",
                            dir.resolve("temporal.db").toString(),
                            "--log-level",
                            "warn"),
                        QuarrySearchAttributes.devServerFlags().stream())
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("temporal.log").toFile())
            .start();
    TemporalDevServer server = new TemporalDevServer(process, port, uiPort);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!portOpen(port)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        server.close();
        throw new IllegalStateException(
            "temporal dev server did not start; see " + dir.resolve("temporal.log"));
      }
      Thread.sleep(200);
    }
    return server;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  int uiPort() {
    return uiPort;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Whether something listens on this loopback port (shared by the test servers here). */
  static boolean portOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
