package dev.quarry.activities.sparq;

import dev.quarry.activities.dataset.ShardWriter;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.sparq.FilterCandidate;
import dev.quarry.core.sparq.FinalFilters;
import dev.quarry.workflows.sparq.SparqProblemRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * SPARQ's part of a shard: the valid problems pass the final filter (quality or diversity, with its
 * budget) and those it keeps are offered in its order; every problem is listed with whether it made
 * the dataset; SFT rows are the export.
 */
final class SparqShardSpec implements ShardWriter.Spec<SparqProblemRecord> {
  private final SparqRows rows;

  SparqShardSpec(SparqRows rows) {
    this.rows = rows;
  }

  @Override
  public ShardWriter.Records<SparqProblemRecord> records() {
    return new ShardWriter.Records<>(
        SparqProblemRecord.class, "SPARQ problem record", SparqActivitiesImpl::recordKey);
  }

  @Override
  public List<ShardWriter.Offer> offers(RunConfig config, List<SparqProblemRecord> records)
      throws IOException {
    List<FilterCandidate> eligible = new ArrayList<>();
    Map<String, SparqProblemRecord> byKey = new HashMap<>();
    for (SparqProblemRecord r : records) {
      byKey.put(r.key(), r);
      if (r.valid()) {
        eligible.add(new FilterCandidate(r.key(), r.niche(), r.score().quality()));
      }
    }
    List<ShardWriter.Offer> offers = new ArrayList<>();
    for (FilterCandidate c :
        FinalFilters.apply(eligible, config.sparq().filter(), config.sparq().filterBudget())) {
      Map<String, Object> row = rows.datasetRow(config, byKey.get(c.id()));
      offers.add(new ShardWriter.Offer(c.id(), String.valueOf(row.get("problem")), row));
    }
    return offers;
  }

  @Override
  public List<Map<String, Object>> candidateRows(
      SparqProblemRecord record, Predicate<String> inDataset) {
    return List.of(rows.candidateRow(record, inDataset.test(record.key())));
  }

  @Override
  public Map<String, Object> exportRow(Map<String, Object> datasetRow) {
    return rows.sftRow(datasetRow);
  }
}
