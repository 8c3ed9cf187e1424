package dev.quarry.workers.cli.run;

import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.config.StoreSettings;
import dev.quarry.workers.temporal.TemporalConnection;
import dev.quarry.workflows.round.RoundResult;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "export",
    description = "Collect a completed run's dataset and RFT export into a folder.")
public class RunExportCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;
  @Inject StoreSettings store;

  @Parameters(index = "0", description = "The run id (its workflow id).")
  String runId;

  @Option(
      names = "--out",
      required = true,
      description = "Folder to write dataset.jsonl and rft.jsonl to.")
  Path out;

  /** Where the workers wrote the run's files: this machine's disk, or the shared S3 store. */
  private DatasetFiles files;

  @Override
  public Integer call() throws IOException {
    try (StoreSettings.Opened opened = store.open(settings.homePath());
        TemporalConnection temporal = TemporalConnection.open(settings)) {
      var status =
          RunLookup.status(temporal.service(), settings.getTemporal().getNamespace(), runId);
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        System.err.println(
            "run " + runId + " has not completed (" + status + "); export needs a completed run");
        return 1;
      }
      RunSummary summary = RunLookup.result(temporal.client(), runId);
      files = opened.datasets();
      Files.createDirectories(out);
      Path dataset = out.resolve("dataset.jsonl");
      Path candidates = out.resolve("candidates.jsonl");
      Path rft = out.resolve("rft.jsonl");
      for (Path file : new Path[] {dataset, candidates, rft}) {
        Files.deleteIfExists(file);
        Files.createFile(file);
      }
      long rows = 0;
      Path dpo = out.resolve("dpo.jsonl");
      Path dropped = out.resolve("dropped.jsonl");
      Files.deleteIfExists(dpo);
      Files.deleteIfExists(dropped);
      Files.deleteIfExists(out.resolve("dpo-openai.jsonl"));
      // The summary carries only the last rounds' results (RunState.KEPT_ROUNDS); every round's
      // files sit in the same folder, named by round number.
      List<RoundResult> kept = summary.rounds();
      Path dir = kept.isEmpty() ? null : Path.of(kept.get(0).shard().datasetFile()).getParent();
      int lastRound = kept.isEmpty() ? -1 : kept.get(kept.size() - 1).round();
      for (int round = 0; round <= lastRound; round++) {
        String prefix = "round-" + round;
        rows += append(dir.resolve(prefix + ".jsonl"), dataset);
        append(dir.resolve(prefix + ".candidates.jsonl"), candidates);
        append(dir.resolve(prefix + ".rft.jsonl"), rft);
        // Written by some methods only: ScaleQuest's preference pairs, rows dropped as
        // contaminated or near-duplicate, SPARQ's archive, QueST's concept mapping.
        appendIfPresent(dir.resolve(prefix + ".dpo.jsonl"), dpo);
        appendIfPresent(dir.resolve(prefix + ".dpo-openai.jsonl"), out.resolve("dpo-openai.jsonl"));
        appendIfPresent(dir.resolve(prefix + ".dropped.jsonl"), dropped);
        copyIfPresent(dir.resolve(prefix + ".archive.json"), out.resolve(prefix + ".archive.json"));
        copyIfPresent(dir.resolve("concepts-mapping.json"), out.resolve("concepts-mapping.json"));
      }
      System.out.println(
          "exported " + rows + " rows of run " + runId + " to " + out.toAbsolutePath());
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(e.getMessage());
      return 1;
    }
  }

  private void appendIfPresent(Path from, Path to) throws IOException {
    var bytes = files.read(from);
    if (bytes.isPresent()) {
      Files.write(to, bytes.get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private void copyIfPresent(Path from, Path to) throws IOException {
    var bytes = files.read(from);
    if (bytes.isPresent()) {
      Files.write(to, bytes.get());
    }
  }

  private long append(Path from, Path to) throws IOException {
    byte[] bytes =
        files
            .read(from)
            .orElseThrow(
                () ->
                    new NoSuchFileException(
                        files.locate(from)
                            + " (the run's shard is missing from the store the workers wrote it to)"));
    Files.write(to, bytes, StandardOpenOption.APPEND);
    long lines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
