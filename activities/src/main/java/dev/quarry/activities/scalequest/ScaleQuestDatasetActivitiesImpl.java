package dev.quarry.activities.scalequest;

import dev.quarry.activities.dataset.BenchmarkTexts;
import dev.quarry.activities.dataset.DatasetActivitiesImpl;
import dev.quarry.activities.dataset.ShardFilter;
import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.export.DpoFormat;
import dev.quarry.core.export.PreferencePair;
import dev.quarry.core.prompts.Message;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.scalequest.QuestionRecord;
import dev.quarry.workflows.scalequest.ScaleQuestDatasetActivities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyed, atomic writes of ScaleQuest records and round shards: a retry rewrites, never appends.
 * Per round, under outputDir/RUN_ID/: round-N.jsonl (kept questions with their best response),
 * round-N.candidates.jsonl (every question with every filter's outcome), round-N.rft.jsonl (QFT
 * rows: prompt/completion), round-N.dpo.jsonl (QPO pairs: prompt/chosen/rejected, TRL's
 * DPOTrainer format; round-N.dpo-openai.jsonl the same pairs for OpenAI preference fine-tuning) and
 * round-N.dropped.jsonl (kept questions then removed as contaminated or
 * near-duplicate across the run, see {@link ShardFilter}).
 */
public final class ScaleQuestDatasetActivitiesImpl implements ScaleQuestDatasetActivities {
  private final RecordStore records;
  private final ScaleQuestRows rows;
  private final ShardFilter filter;
  private final DatasetFiles files;

  public ScaleQuestDatasetActivitiesImpl(RecordStore records, FileArtifactStore store) {
    this(records, store, new BenchmarkTexts());
  }

  public ScaleQuestDatasetActivitiesImpl(
      RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks) {
    this(records, store, benchmarks, DatasetFiles.local());
  }

  public ScaleQuestDatasetActivitiesImpl(
      RecordStore records, FileArtifactStore store, BenchmarkTexts benchmarks, DatasetFiles files) {
    this.files = files;
    this.records = records;
    this.rows = new ScaleQuestRows(store);
    this.filter = new ShardFilter(records, benchmarks);
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
    try {
      StringBuilder dataset = new StringBuilder();
      StringBuilder questions = new StringBuilder();
      StringBuilder qft = new StringBuilder();
      StringBuilder dpo = new StringBuilder();
      StringBuilder dpoOpenAi = new StringBuilder();
      StringBuilder dropped = new StringBuilder();
      List<QuestionRecord> all = new ArrayList<>();
      List<ShardFilter.Row> texts = new ArrayList<>();
      for (int i = 0; i < request.prompts(); i++) {
        String key = recordKey(request.runId(), request.round(), i);
        QuestionRecord record =
            records
                .read(key, QuestionRecord.class)
                .orElseThrow(() -> Failures.dataMissing("question record " + key + " is missing"));
        all.add(record);
        if (record.kept()) {
          var row = rows.datasetRow(request.config(), record);
          texts.add(new ShardFilter.Row((String) row.get("key"), String.valueOf(row.get("question"))));
        }
      }
      // The last checks, shared by every method: decontamination and run-wide near-duplicates.
      Map<String, ShardFilter.Verdict> verdicts = new HashMap<>();
      for (ShardFilter.Verdict v : filter.filter(request.runId(), request.round(), request.config(), texts)) {
        verdicts.put(v.key(), v);
      }
      int kept = 0;
      for (QuestionRecord record : all) {
        var questionRow = rows.questionRow(record);
        ShardFilter.Verdict verdict = verdicts.get((String) questionRow.get("key"));
        if (verdict != null && !verdict.kept()) {
          questionRow.put("dropped", verdict.kind());
          questionRow.put("dropReason", verdict.reason());
          questionRow.put("duplicateOf", verdict.duplicateOf());
          dropped.append(Json.line(DatasetActivitiesImpl.droppedRow(verdict))).append('\n');
        }
        questions.append(Json.line(questionRow)).append('\n');
        if (record.kept() && verdict != null && verdict.kept()) {
          var row = rows.datasetRow(request.config(), record);
          dataset.append(Json.line(row)).append('\n');
          qft.append(Json.line(rows.qftRow(row))).append('\n');
          kept++;
        }
        var pair = rows.dpoPair(record);
        if (pair.isPresent()) {
          dpo.append(Json.line(pair.get().trlRow())).append('\n');
          // OpenAI preference fine-tuning wants chat messages: the raw prefix becomes the one
          // user turn, the questions the assistant's answers.
          PreferencePair chat =
              new PreferencePair(
                  List.of(Message.user(pair.get().prompt())), pair.get().chosen(), pair.get().rejected());
          dpoOpenAi.append(Json.line(DpoFormat.OPENAI.row(chat))).append('\n');
        }
      }
      Path dir = DatasetActivitiesImpl.runDirectory(request.config(), request.runId());
      String prefix = "round-" + request.round();
      Path datasetFile = dir.resolve(prefix + ".jsonl");
      Path questionsFile = dir.resolve(prefix + ".candidates.jsonl");
      Path qftFile = dir.resolve(prefix + ".rft.jsonl");
      files.write(questionsFile, bytes(questions));
      files.write(qftFile, bytes(qft));
      files.write(dpoFile(dir, request.round()), bytes(dpo));
      files.write(dir.resolve(prefix + ".dpo-openai.jsonl"), bytes(dpoOpenAi));
      files.write(dir.resolve(prefix + ".dropped.jsonl"), bytes(dropped));
      // The dataset file last: its presence means the whole shard is there.
      files.write(datasetFile, bytes(dataset));
      return new ShardResult(
          datasetFile.toString(), questionsFile.toString(), qftFile.toString(), kept, request.prompts());
    } catch (IOException e) {
      throw Failures.infrastructure("DatasetWriteFailed", e.getMessage(), e);
    }
  }

  /** Where a round's QPO preference pairs go: next to its dataset shard. */
  public static Path dpoFile(Path runDirectory, int round) {
    return runDirectory.resolve("round-" + round + ".dpo.jsonl");
  }

  static String recordKey(String runId, int round, int prompt) {
    return "runs/" + FileNames.safe(runId) + "/round-" + round + "/question-" + prompt;
  }

  private static byte[] bytes(StringBuilder text) {
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
