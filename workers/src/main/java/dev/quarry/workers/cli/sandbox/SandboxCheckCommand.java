package dev.quarry.workers.cli.sandbox;

import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.ProblemSetChecker;
import dev.quarry.activities.store.Json;
import dev.quarry.core.checks.CheckCase;
import dev.quarry.core.checks.CheckFormat;
import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.OutputComparator;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import dev.quarry.core.sandbox.Verdict;
import dev.quarry.workers.config.QuarrySettings;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    description = "Run every row's reference solution against its tests; print a JSON summary.")
public class SandboxCheckCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;

  @Option(names = "--format", defaultValue = "quarry", description = "quarry, mbpp or humaneval.")
  String format;

  @Option(names = "--file", required = true, description = "The problem set (JSONL).")
  Path file;

  @Option(names = "--out", description = "Write one line per row with its id and verdict.")
  Path out;

  @Option(
      names = "--timeout",
      defaultValue = "10",
      description = "Wall-clock limit per execution, seconds.")
  double timeout;

  @Option(names = "--memory", defaultValue = "512", description = "Memory limit per execution, MB.")
  int memoryMb;

  @Option(
      names = "--comparison",
      defaultValue = "whitespace",
      description = "exact, whitespace, float_tolerance or case_insensitive (stdin/stdout tests).")
  String comparison;

  @Override
  public Integer call() throws IOException {
    CheckFormat checkFormat;
    OutputComparator comparator;
    try {
      checkFormat = CheckFormat.valueOf(format.toUpperCase(Locale.ROOT));
      comparator = OutputComparator.of(Comparison.valueOf(comparison.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      System.err.println(
          "--format takes quarry, mbpp or humaneval; --comparison exact, whitespace, float_tolerance or case_insensitive");
      return 2;
    }
    List<CheckCase> cases = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        try {
          cases.add(checkFormat.parse(Json.MAPPER.readTree(lines.get(i)), i + 1));
        } catch (IOException | IllegalArgumentException e) {
          skipped.add("line " + (i + 1) + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
      }
    } catch (NoSuchFileException e) {
      System.err.println("no such file: " + file);
      return 2;
    }
    long started = System.nanoTime();
    Map<String, Verdict> verdicts;
    try (DockerSandboxExecutor sandbox = Sandboxes.open(settings)) {
      verdicts =
          new ProblemSetChecker(sandbox)
              .check(cases, comparator, new ExecutionLimits(timeout, memoryMb, 1 << 20));
    } catch (SandboxUnavailableException e) {
      System.err.println("sandbox unavailable: " + e.getMessage());
      return 1;
    }
    if (out != null) {
      StringBuilder lines = new StringBuilder();
      verdicts.forEach(
          (id, verdict) ->
              lines
                  .append(
                      Json.line(
                          Map.of(
                              "id",
                              id,
                              "verdict",
                              verdict.name(),
                              "passed",
                              verdict == Verdict.OK)))
                  .append('\n'));
      Files.writeString(out, lines);
    }
    Map<String, Integer> counts = new TreeMap<>();
    verdicts.values().forEach(v -> counts.merge(v.name(), 1, Integer::sum));
    int passed = counts.getOrDefault(Verdict.OK.name(), 0);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("file", file.toString());
    summary.put("format", checkFormat.name().toLowerCase(Locale.ROOT));
    summary.put("problems", verdicts.size());
    summary.put("passed", passed);
    summary.put("failed", verdicts.size() - passed);
    summary.put("verdicts", counts);
    summary.put("skippedLines", skipped);
    summary.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
    System.out.println(Json.line(summary));
    return passed == verdicts.size() && skipped.isEmpty() ? 0 : 3;
  }
}
