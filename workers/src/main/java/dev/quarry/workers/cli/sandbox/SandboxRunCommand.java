package dev.quarry.workers.cli.sandbox;

import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.store.Json;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import dev.quarry.workers.config.QuarrySettings;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    description = "Run one program in the sandbox and print its verdict as JSON.")
public class SandboxRunCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;

  @Option(
      names = "--lang",
      defaultValue = "python",
      description = "Language: python or cpp (C++17, g++).")
  String language;

  @Option(names = "--file", required = true, description = "The program.")
  Path file;

  @Option(names = "--stdin", description = "A file fed to the program's standard input.")
  Path stdin;

  @Option(names = "--timeout", defaultValue = "5", description = "Wall-clock limit in seconds.")
  double timeout;

  @Option(names = "--memory", defaultValue = "256", description = "Memory limit in MB.")
  int memoryMb;

  @Override
  public Integer call() throws Exception {
    String program;
    String input;
    try {
      program = Files.readString(file);
      input = stdin == null ? "" : Files.readString(stdin);
    } catch (NoSuchFileException e) {
      System.err.println("no such file: " + e.getFile());
      return 2;
    }
    ExecutionBatch batch;
    try {
      batch =
          new ExecutionBatch(
              Language.fromWireName(language),
              List.of(program),
              List.of(input),
              new ExecutionLimits(timeout, memoryMb, 1 << 20));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    try (DockerSandboxExecutor sandbox = Sandboxes.open(settings)) {
      BatchResult result = sandbox.run(batch);
      System.out.println(Json.line(result.outcomes().get(0)));
      return 0;
    } catch (SandboxUnavailableException | IllegalArgumentException e) {
      System.err.println("sandbox unavailable: " + e.getMessage());
      return 1;
    }
  }
}
