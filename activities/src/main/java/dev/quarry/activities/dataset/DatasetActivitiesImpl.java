package dev.quarry.activities.dataset;

import dev.quarry.activities.store.AtomicFiles;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigException;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.workflows.activities.DatasetActivities;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.prompt.CandidateSummary;
import dev.quarry.workflows.prompt.PromptRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Keyed, atomic writes of prompt records and round shards: a retry rewrites, never appends. */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private final RecordStore records;
  private final DatasetRows rows;

  public DatasetActivitiesImpl(RecordStore records, FileArtifactStore store) {
    this.records = records;
    this.rows = new DatasetRows(store);
  }

  @Override
  public RunConfig resolveConfig(Map<String, Object> config) {
    try {
      return RunConfigLoader.parse(Json.line(config == null ? Map.of() : config), "(workflow input)");
    } catch (RunConfigException e) {
      throw Failures.invalidConfig(e.getMessage());
    }
  }

  @Override
  public void recordPrompt(PromptRecord record) {
    try {
      records.write(recordKey(record.runId(), record.round(), record.prompt().promptIndex()), record);
    } catch (IOException e) {
      throw Failures.infrastructure("RecordStoreUnavailable", e.getMessage(), e);
    }
  }

  @Override
  public ShardResult writeShard(ShardRequest request) {
    try {
      StringBuilder dataset = new StringBuilder();
      StringBuilder candidates = new StringBuilder();
      StringBuilder rft = new StringBuilder();
      int rowCount = 0;
      int candidateCount = 0;
      for (int i = 0; i < request.prompts(); i++) {
        String key = recordKey(request.runId(), request.round(), i);
        PromptRecord record =
            records
                .read(key, PromptRecord.class)
                .orElseThrow(() -> Failures.dataMissing("prompt record " + key + " is missing"));
        for (CandidateSummary candidate : record.candidates()) {
          candidates.append(Json.line(rows.candidateRow(record, candidate))).append('\n');
          candidateCount++;
          if (candidate.candidateIndex() == record.selectedCandidate()) {
            var row = rows.datasetRow(request.config(), record, candidate);
            dataset.append(Json.line(row)).append('\n');
            rft.append(Json.line(rows.rftRow(row))).append('\n');
            rowCount++;
          }
        }
      }
      Path dir = runDirectory(request.config(), request.runId());
      String prefix = "round-" + request.round();
      Path datasetFile = dir.resolve(prefix + ".jsonl");
      Path candidatesFile = dir.resolve(prefix + ".candidates.jsonl");
      Path rftFile = dir.resolve(prefix + ".rft.jsonl");
      AtomicFiles.write(candidatesFile, candidates.toString().getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(rftFile, rft.toString().getBytes(StandardCharsets.UTF_8));
      // The dataset file last: its presence means the whole shard is there.
      AtomicFiles.write(datasetFile, dataset.toString().getBytes(StandardCharsets.UTF_8));
      return new ShardResult(
          datasetFile.toString(), candidatesFile.toString(), rftFile.toString(), rowCount, candidateCount);
    } catch (IOException e) {
      throw Failures.infrastructure("DatasetWriteFailed", e.getMessage(), e);
    }
  }

  static String recordKey(String runId, int round, int prompt) {
    return "runs/" + FileNames.safe(runId) + "/round-" + round + "/prompt-" + prompt;
  }

  public static Path runDirectory(RunConfig config, String runId) {
    return runDirectory(config.outputDir(), runId);
  }

  public static Path runDirectory(String outputDir, String runId) {
    return Path.of(outputDir).toAbsolutePath().normalize().resolve(FileNames.safe(runId));
  }
}
