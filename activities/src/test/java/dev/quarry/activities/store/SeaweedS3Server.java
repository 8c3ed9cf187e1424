package dev.quarry.activities.store;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for tests: SeaweedFS's `weed server -s3` on loopback, on free ports, with its
 * data in a temporary directory and one identity (access key, secret). The binary is built by
 * scripts/ensure-seaweedfs.sh into $QUARRY_HOME/bin/weed; {@link #binary()} finds it.
 */
final class SeaweedS3Server implements AutoCloseable {
  static final String ACCESS_KEY = "quarry-test";
  static final String SECRET_KEY = "quarry-test-secret";

  private final Process process;
  private final int s3Port;
  private final Path log;

  private SeaweedS3Server(Process process, int s3Port, Path log) {
    this.process = process;
    this.s3Port = s3Port;
    this.log = log;
  }

  /** $QUARRY_HOME/bin/weed, else the checkout's .quarry/bin/weed; null if neither exists. */
  static Path binary() {
    List<Path> candidates = new ArrayList<>();
    String home = System.getenv("QUARRY_HOME");
    if (home != null && !home.isBlank()) {
      candidates.add(Path.of(home, "bin", "weed"));
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 3 && dir != null; i++, dir = dir.getParent()) {
      candidates.add(dir.resolve(".quarry").resolve("bin").resolve("weed"));
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  static SeaweedS3Server start(Path binary, Path dir) throws IOException, InterruptedException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path identities = dir.resolve("identities.json");
    Files.writeString(
        identities,
        """
        {"identities": [{"name": "quarry", "credentials": [{"accessKey": "%s", "secretKey": "%s"}],
          "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
        """
            .formatted(ACCESS_KEY, SECRET_KEY));
    int s3 = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "server",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                "-dir=" + data,
                "-master.port=" + freePort(),
                "-master.port.grpc=" + freePort(),
                "-volume.port=" + freePort(),
                "-volume.port.grpc=" + freePort(),
                // Small volumes, enough of them: weed grows several per bucket, 30 GB each by
                // default.
                "-volume.max=64",
                "-master.volumeSizeLimitMB=64",
                "-master.volumePreallocate=false",
                "-filer",
                "-filer.port=" + freePort(),
                "-filer.port.grpc=" + freePort(),
                "-s3",
                "-s3.port=" + s3,
                "-s3.port.grpc=" + freePort(),
                "-s3.config=" + identities));
    Path log = dir.resolve("weed.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SeaweedS3Server server = new SeaweedS3Server(process, s3, log);
    server.awaitReady(Duration.ofSeconds(90));
    return server;
  }

  String endpoint() {
    return "http://127.0.0.1:" + s3Port;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("weed exited while starting: " + tail());
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.getResponseCode(); // any HTTP answer: the S3 gateway is up
        return;
      } catch (IOException notYet) {
        Thread.sleep(300); // the poll interval of this deadline loop (it also checks the process)
      }
    }
    close();
    throw new IOException("SeaweedFS S3 not ready within " + timeout + ": " + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
