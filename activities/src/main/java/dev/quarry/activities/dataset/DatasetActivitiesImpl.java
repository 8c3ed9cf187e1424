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
import dev.quarry.workflows.prompt.PromptRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Keyed, atomic writes of QueST's prompt records and round shards (by the one {@link ShardWriter}):
 * a retry rewrites, never appends.
 */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private final RecordStore records;
  private final QuestShardSpec shard;
  private final ShardWriter writer;

  public DatasetActivitiesImpl(RecordStore records, FileArtifactStore store) {
    this(records, store, new BenchmarkTexts());
  }

  public DatasetActivitiesImpl(
      RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks) {
    this(records, store, benchmarks, DatasetFiles.local());
  }

  public DatasetActivitiesImpl(
      RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks, DatasetFiles files) {
    this.records = records;
    this.shard = new QuestShardSpec(new DatasetRows(store));
    this.writer = new ShardWriter(records, benchmarks, files);
  }

  @Override
  public RunConfig resolveConfig(Map<String, Object> config) {
    try {
      return RunConfigLoader.parse(
          Json.line(config == null ? Map.of() : config), "(workflow input)");
    } catch (RunConfigException e) {
      throw Failures.invalidConfig(e.getMessage());
    }
  }

  @Override
  public void recordPrompt(PromptRecord record) {
    try {
      records.write(
          recordKey(record.runId(), record.round(), record.prompt().promptIndex()), record);
    } catch (IOException e) {
      throw Failures.infrastructure("RecordStoreUnavailable", e.getMessage(), e);
    }
  }

  @Override
  public ShardResult writeShard(ShardRequest request) {
    return writer
        .write(
            shard,
            request.runId(),
            request.round(),
            request.prompts(),
            request.failedPrompts(),
            request.config())
        .shard();
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
