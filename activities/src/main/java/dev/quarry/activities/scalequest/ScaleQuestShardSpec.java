package dev.quarry.activities.scalequest;

import dev.quarry.activities.dataset.ShardWriter;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.export.DpoFormat;
import dev.quarry.core.export.PreferencePair;
import dev.quarry.core.prompts.Message;
import dev.quarry.workflows.scalequest.QuestionRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * ScaleQuest's part of a shard: each kept question offers its row (with its best response); every
 * question is listed with every filter's outcome; QFT rows (prompt/completion) are the export, and
 * the QPO pairs go to round-N.dpo.jsonl (TRL's DPOTrainer format) and round-N.dpo-openai.jsonl (the
 * same pairs for OpenAI preference fine-tuning).
 */
final class ScaleQuestShardSpec implements ShardWriter.Spec<QuestionRecord> {
  private final ScaleQuestRows rows;

  ScaleQuestShardSpec(ScaleQuestRows rows) {
    this.rows = rows;
  }

  @Override
  public ShardWriter.Records<QuestionRecord> records() {
    return new ShardWriter.Records<>(
        QuestionRecord.class, "question record", ScaleQuestDatasetActivitiesImpl::recordKey);
  }

  @Override
  public List<ShardWriter.Offer> offers(RunConfig config, List<QuestionRecord> records)
      throws IOException {
    List<ShardWriter.Offer> offers = new ArrayList<>();
    for (QuestionRecord record : records) {
      if (record.kept()) {
        Map<String, Object> row = rows.datasetRow(config, record);
        offers.add(
            new ShardWriter.Offer(
                (String) row.get("key"), String.valueOf(row.get("question")), row));
      }
    }
    return offers;
  }

  @Override
  public List<Map<String, Object>> candidateRows(QuestionRecord record, Predicate<String> inDataset)
      throws IOException {
    return List.of(rows.questionRow(record));
  }

  @Override
  public Map<String, Object> exportRow(Map<String, Object> datasetRow) {
    return rows.qftRow(datasetRow);
  }

  @Override
  public Map<String, List<Object>> moreFiles(List<QuestionRecord> records) throws IOException {
    List<Object> trl = new ArrayList<>();
    List<Object> openAi = new ArrayList<>();
    for (QuestionRecord record : records) {
      var pair = rows.dpoPair(record);
      if (pair.isPresent()) {
        trl.add(pair.get().trlRow());
        // OpenAI preference fine-tuning wants chat messages: the raw prefix becomes the one
        // user turn, the questions the assistant's answers.
        PreferencePair chat =
            new PreferencePair(
                List.of(Message.user(pair.get().prompt())),
                pair.get().chosen(),
                pair.get().rejected());
        openAi.add(DpoFormat.OPENAI.row(chat));
      }
    }
    return Map.of("dpo.jsonl", trl, "dpo-openai.jsonl", openAi);
  }
}
