package dev.quarry.activities.scalequest;

import dev.quarry.activities.dataset.BenchmarkTexts;
import dev.quarry.activities.dataset.ShardWriter;
import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.scalequest.QuestionRecord;
import dev.quarry.workflows.scalequest.ScaleQuestDatasetActivities;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Keyed, atomic writes of ScaleQuest records and round shards (by the one {@link ShardWriter}, with
 * {@link ScaleQuestShardSpec}): a retry rewrites, never appends. Per round, under
 * outputDir/RUN_ID/: round-N.jsonl (kept questions with their best response),
 * round-N.candidates.jsonl (every question with every filter's outcome), round-N.rft.jsonl (QFT
 * rows: prompt/completion), round-N.dpo.jsonl (QPO pairs: prompt/chosen/rejected, TRL's DPOTrainer
 * format; round-N.dpo-openai.jsonl the same pairs for OpenAI preference fine-tuning) and
 * round-N.dropped.jsonl (kept questions then removed as contaminated or near-duplicate across the
 * run, see {@link ShardFilter}).
 */
public final class ScaleQuestDatasetActivitiesImpl implements ScaleQuestDatasetActivities {
  private final RecordStore records;
  private final ScaleQuestShardSpec shard;
  private final ShardWriter writer;

  public ScaleQuestDatasetActivitiesImpl(RecordStore records, FileArtifactStore store) {
    this(records, store, new BenchmarkTexts());
  }

  public ScaleQuestDatasetActivitiesImpl(
      RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks) {
    this(records, store, benchmarks, DatasetFiles.local());
  }

  public ScaleQuestDatasetActivitiesImpl(
      RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks, DatasetFiles files) {
    this.records = records;
    this.shard = new ScaleQuestShardSpec(new ScaleQuestRows(store));
    this.writer = new ShardWriter(records, benchmarks, files);
  }

  @Override
  public void recordQuestion(QuestionRecord record) {
    try {
      records.write(recordKey(record.runId(), record.round(), record.promptIndex()), record);
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

  /** Where a round's QPO preference pairs go: next to its dataset shard. */
  public static Path dpoFile(Path runDirectory, int round) {
    return runDirectory.resolve("round-" + round + ".dpo.jsonl");
  }

  static String recordKey(String runId, int round, int prompt) {
    return "runs/" + FileNames.safe(runId) + "/round-" + round + "/question-" + prompt;
  }
}
