package dev.quarry.workers.cli.dev;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A background process of the local stack, known by its pid file. It is started in its own session
 * (setsid) so that Ctrl-C in the terminal that started it does not take it down.
 */
final class ManagedProcess {
  private final String name;
  private final Path pidFile;
  private final Path logFile;

  ManagedProcess(String name, Path home) {
    this.name = name;
    this.pidFile = home.resolve("pids").resolve(name + ".pid");
    this.logFile = home.resolve("logs").resolve(name + ".log");
  }

  String name() {
    return name;
  }

  Path logFile() {
    return logFile;
  }

  Optional<ProcessHandle> running() {
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True when the process runs and was started before {@code instant}. */
  boolean startedBefore(Instant instant) {
    return running()
        .flatMap(handle -> handle.info().startInstant())
        .map(started -> started.isBefore(instant))
        .orElse(false);
  }

  ProcessHandle start(List<String> command) throws IOException {
    Files.createDirectories(pidFile.getParent());
    Files.createDirectories(logFile.getParent());
    List<String> detached = new ArrayList<>();
    detached.add("setsid");
    detached.addAll(command);
    Process process =
        new ProcessBuilder(detached)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
    return process.toHandle();
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  boolean stop(Duration grace) throws IOException {
    Optional<ProcessHandle> handle = running();
    Files.deleteIfExists(pidFile);
    if (handle.isEmpty()) {
      return false;
    }
    handle.get().destroy();
    Instant deadline = Instant.now().plus(grace);
    while (handle.get().isAlive() && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (handle.get().isAlive()) {
      handle.get().destroyForcibly();
    }
    return true;
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + logFile + ")";
    }
  }
}
