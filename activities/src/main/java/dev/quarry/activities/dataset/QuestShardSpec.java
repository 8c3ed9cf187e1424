package dev.quarry.activities.dataset;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.prompt.CandidateSummary;
import dev.quarry.workflows.prompt.PromptRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * QueST's part of a shard: each prompt offers its selected candidate; every candidate is listed.
 */
final class QuestShardSpec implements ShardWriter.Spec<PromptRecord> {
  private final DatasetRows rows;

  QuestShardSpec(DatasetRows rows) {
    this.rows = rows;
  }

  @Override
  public ShardWriter.Records<PromptRecord> records() {
    return new ShardWriter.Records<>(
        PromptRecord.class, "prompt record", DatasetActivitiesImpl::recordKey);
  }

  @Override
  public List<ShardWriter.Offer> offers(RunConfig config, List<PromptRecord> records)
      throws IOException {
    List<ShardWriter.Offer> offers = new ArrayList<>();
    for (PromptRecord record : records) {
      for (CandidateSummary candidate : record.candidates()) {
        if (candidate.candidateIndex() == record.selectedCandidate()) {
          Map<String, Object> row = rows.datasetRow(config, record, candidate);
          offers.add(
              new ShardWriter.Offer((String) row.get("key"), (String) row.get("problem"), row));
        }
      }
    }
    return offers;
  }

  @Override
  public List<Map<String, Object>> candidateRows(PromptRecord record, Predicate<String> inDataset) {
    List<Map<String, Object>> candidates = new ArrayList<>();
    for (CandidateSummary candidate : record.candidates()) {
      candidates.add(rows.candidateRow(record, candidate));
    }
    return candidates;
  }

  @Override
  public Map<String, Object> exportRow(Map<String, Object> datasetRow) {
    return rows.rftRow(datasetRow);
  }
}
