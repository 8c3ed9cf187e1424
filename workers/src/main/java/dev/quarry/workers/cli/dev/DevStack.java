package dev.quarry.workers.cli.dev;

import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.SearchAttributeRegistration;
import dev.quarry.workers.temporal.TemporalClients;
import dev.quarry.workers.worker.WorkerReady;
import dev.quarry.workflows.QuarrySearchAttributes;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The local stack: Temporal dev server (SQLite under the Quarry home), the embedded LLM server, and
 * one worker for all task queues. Each runs in the background with its log and pid file.
 */
public final class DevStack {
  private final QuarrySettings settings;
  private final Path home;
  final ManagedProcess temporal;
  final ManagedProcess llm;
  final ManagedProcess worker;

  public DevStack(QuarrySettings settings) {
    this.settings = settings;
    this.home = settings.homePath();
    this.temporal = new ManagedProcess("temporal", home);
    this.llm = new ManagedProcess("llm", home);
    this.worker = new ManagedProcess("worker", home);
  }

  /** An existing dev database ignores --search-attribute: add what is missing, every time. */
  private void registerSearchAttributes() {
    var service = TemporalClients.serviceStubs(settings, null);
    try {
      var added =
          SearchAttributeRegistration.ensure(service, settings.getTemporal().getNamespace());
      if (!added.isEmpty()) {
        System.out.println("registered search attributes " + added.keySet());
      }
    } catch (RuntimeException e) {
      System.out.println(
          "warning: could not register Quarry's search attributes: "
              + e.getMessage()
              + " (runs work without them; see temporal-config/register-search-attributes.sh)");
    } finally {
      service.shutdownNow();
    }
  }

  public List<ManagedProcess> components() {
    return List.of(temporal, llm, worker);
  }

  public void up() throws IOException {
    // A rebuild must reach the running processes: restart what runs older code.
    for (ManagedProcess process : List.of(llm, worker)) {
      if (process.startedBefore(buildTime())) {
        System.out.println(
            "restarting " + process.name() + ": the build is newer than the process");
        process.stop(Duration.ofSeconds(15));
      }
    }
    if (temporal.running().isEmpty()) {
      String address = settings.getTemporal().getAddress();
      int port = port(address);
      List<String> command =
          new ArrayList<>(
              List.of(
                  temporalBinary(),
                  "server",
                  "start-dev",
                  "--db-filename",
                  home.resolve("temporal.db").toString(),
                  "--ip",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--ui-port",
                  Integer.toString(settings.getTemporal().getUiPort()),
                  "--log-level",
                  "warn"));
      // Quarry's search attributes, so runs can be filtered in the web UI and the CLI.
      command.addAll(QuarrySearchAttributes.devServerFlags());
      temporal.start(command);
      await(temporal, Duration.ofSeconds(60), () -> portOpen(port));
    }
    registerSearchAttributes();
    if (llm.running().isEmpty()) {
      Path model = settings.modelPath();
      if (!Files.exists(model)) {
        throw new IllegalStateException(
            "model "
                + model
                + " not found: run scripts/ensure-model.sh (make setup does) or set QUARRY_LLM_MODEL");
      }
      llm.start(
          quarry(
              "llm",
              "serve",
              "--model",
              model.toString(),
              "--port",
              Integer.toString(settings.getLlm().getPort())));
      await(
          llm,
          Duration.ofSeconds(180),
          () -> httpOk("http://127.0.0.1:" + settings.getLlm().getPort() + "/health"));
    }
    if (worker.running().isEmpty()) {
      worker.start(quarry("worker"));
      await(worker, Duration.ofSeconds(90), () -> worker.tail(50).contains(WorkerReady.MARKER));
    }
  }

  public void down() throws IOException {
    // Workers first, so nothing is mid-task when the server goes.
    for (ManagedProcess process : List.of(worker, llm, temporal)) {
      if (process.stop(Duration.ofSeconds(15))) {
        System.out.println("stopped " + process.name());
      }
    }
  }

  /** When the code on this class path was built: the newest jar or class folder on it. */
  private static Instant buildTime() {
    Instant newest = Instant.EPOCH;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      try {
        Instant modified = Files.getLastModifiedTime(Path.of(entry)).toInstant();
        newest = modified.isAfter(newest) ? modified : newest;
      } catch (IOException | InvalidPathException e) {
        // an entry that does not exist cannot be newer
      }
    }
    return newest;
  }

  /** A child JVM running this same CLI, on the same class path. */
  private List<String> quarry(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-XX:+UseSerialGC",
                "-Xss1m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.quarry.workers.QuarryCli"));
    command.addAll(List.of(args));
    return command;
  }

  /** The Temporal CLI on PATH (make and the launcher put .quarry/bin first). */
  public static String temporalBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "temporal");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "the Temporal CLI is not on PATH: run scripts/ensure-temporal.sh (make setup does)");
  }

  private static void await(ManagedProcess process, Duration timeout, BooleanSupplier ready) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (ready.getAsBoolean()) {
        System.out.println("started " + process.name() + " (log: " + process.logFile() + ")");
        return;
      }
      if (process.running().isEmpty()) {
        throw new IllegalStateException(
            process.name()
                + " exited during start-up; last lines of "
                + process.logFile()
                + ":\n"
                + process.tail(20));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting " + process.name(), e);
      }
    }
    throw new IllegalStateException(
        process.name()
            + " did not become ready within "
            + timeout.toSeconds()
            + " s; see "
            + process.logFile()
            + ":\n"
            + process.tail(20));
  }

  static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  static boolean portOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean httpOk(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      return connection.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
