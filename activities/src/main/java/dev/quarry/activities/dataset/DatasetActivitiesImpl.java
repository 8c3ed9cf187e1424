package dev.quarry.activities.dataset;

import dev.quarry.activities.store.DatasetFiles;
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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyed, atomic writes of prompt records and round shards: a retry rewrites, never appends.
 * Before a shard is written its selected rows are decontaminated and deduplicated against the
 * whole run ({@link ShardFilter}); dropped rows stay visible in the candidates file and in
 * {@code round-N.dropped.jsonl}, each with its reason.
 */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private final RecordStore records;
  private final DatasetRows rows;
  private final ShardFilter filter;
  private final DatasetFiles files;

  public DatasetActivitiesImpl(RecordStore records, FileArtifactStore store) {
    this(records, store, new BenchmarkTexts());
  }

  public DatasetActivitiesImpl(RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks) {
    this(records, store, benchmarks, DatasetFiles.local());
  }

  public DatasetActivitiesImpl(
      RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks, DatasetFiles files) {
    this.files = files;
    this.records = records;
    this.rows = new DatasetRows(store);
    this.filter = new ShardFilter(records, benchmarks);
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
      List<PromptRecord> prompts = new ArrayList<>();
      for (int i = 0; i < request.prompts(); i++) {
        String key = recordKey(request.runId(), request.round(), i);
        prompts.add(
            records
                .read(key, PromptRecord.class)
                .orElseThrow(() -> Failures.dataMissing("prompt record " + key + " is missing")));
      }
      // The selected candidates' rows, then the last checks on them: decontamination and
      // near-duplicate removal across the run.
      List<Map<String, Object>> selected = new ArrayList<>();
      List<ShardFilter.Row> texts = new ArrayList<>();
      for (PromptRecord record : prompts) {
        for (CandidateSummary candidate : record.candidates()) {
          if (candidate.candidateIndex() == record.selectedCandidate()) {
            var row = rows.datasetRow(request.config(), record, candidate);
            selected.add(row);
            texts.add(new ShardFilter.Row((String) row.get("key"), (String) row.get("problem")));
          }
        }
      }
      Map<String, ShardFilter.Verdict> verdicts = new HashMap<>();
      for (ShardFilter.Verdict v : filter.filter(request.runId(), request.round(), request.config(), texts)) {
        verdicts.put(v.key(), v);
      }

      StringBuilder dataset = new StringBuilder();
      StringBuilder candidates = new StringBuilder();
      StringBuilder rft = new StringBuilder();
      StringBuilder dropped = new StringBuilder();
      int rowCount = 0;
      int candidateCount = 0;
      for (PromptRecord record : prompts) {
        for (CandidateSummary candidate : record.candidates()) {
          Map<String, Object> candidateRow = rows.candidateRow(record, candidate);
          ShardFilter.Verdict verdict = verdicts.get((String) candidateRow.get("key"));
          if (verdict != null && !verdict.kept()) {
            candidateRow.put("dropped", verdict.kind());
            candidateRow.put("dropReason", verdict.reason());
            candidateRow.put("duplicateOf", verdict.duplicateOf());
            dropped.append(Json.line(droppedRow(verdict))).append('\n');
          }
          candidates.append(Json.line(candidateRow)).append('\n');
          candidateCount++;
        }
      }
      for (Map<String, Object> row : selected) {
        if (verdicts.get((String) row.get("key")).kept()) {
          dataset.append(Json.line(row)).append('\n');
          rft.append(Json.line(rows.rftRow(row))).append('\n');
          rowCount++;
        }
      }
      Path dir = runDirectory(request.config(), request.runId());
      String prefix = "round-" + request.round();
      Path datasetFile = dir.resolve(prefix + ".jsonl");
      Path candidatesFile = dir.resolve(prefix + ".candidates.jsonl");
      Path rftFile = dir.resolve(prefix + ".rft.jsonl");
      files.write(candidatesFile, candidates.toString().getBytes(StandardCharsets.UTF_8));
      files.write(dir.resolve(prefix + ".dropped.jsonl"), dropped.toString().getBytes(StandardCharsets.UTF_8));
      files.write(rftFile, rft.toString().getBytes(StandardCharsets.UTF_8));
      // The dataset file last: its presence means the whole shard is there.
      files.write(datasetFile, dataset.toString().getBytes(StandardCharsets.UTF_8));
      return new ShardResult(
          datasetFile.toString(), candidatesFile.toString(), rftFile.toString(), rowCount, candidateCount);
    } catch (NoSuchFileException e) {
      throw Failures.dataMissing(e.getFile() + ": " + e.getReason());
    } catch (IOException e) {
      throw Failures.infrastructure("DatasetWriteFailed", e.getMessage(), e);
    }
  }

  /** A dropped row's line in round-N.dropped.jsonl (shared by every method's shard writer). */
  public static Map<String, Object> droppedRow(ShardFilter.Verdict verdict) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", verdict.key());
    row.put("dropped", verdict.kind());
    row.put("reason", verdict.reason());
    row.put("duplicateOf", verdict.duplicateOf());
    return row;
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
