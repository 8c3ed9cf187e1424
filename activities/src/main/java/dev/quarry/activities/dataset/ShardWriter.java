package dev.quarry.activities.dataset;

import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.activities.ShardResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one writer of a round's dataset shard, for every method. It reads the round's records (keyed,
 * so a retry rewrites, never appends), offers the rows the method selected to the last checks
 * shared by every method ({@link ShardFilter}: decontamination, and run-wide near-duplicates with
 * their dedup state in the record store), marks dropped rows in the candidates file and lists them
 * with their reasons in {@code round-N.dropped.jsonl}, and writes each file atomically, the dataset
 * file last: its presence means the whole shard is there.
 *
 * <p>What differs by method is a {@link Spec}: its records, which rows it offers, its candidate and
 * export rows.
 */
public final class ShardWriter {
  /** Where shard files go: the local disk, or the S3 store on a cluster. */
  private final DatasetFiles files;

  /** A row a method offers to the dataset: its key, the text the checks read, the row itself. */
  public record Offer(String key, String text, Map<String, Object> row) {}

  /** Where the record of a prompt is kept. */
  public interface RecordKey {
    String of(String runId, int round, int prompt);
  }

  /**
   * A method's records of a round's prompts.
   *
   * @param name what a record is called in an error, e.g. "prompt record"
   */
  public record Records<R>(Class<R> type, String name, RecordKey key) {}

  /** One method's part of a shard. */
  public interface Spec<R> {
    Records<R> records();

    /** The rows offered to the dataset, in dataset order. */
    List<Offer> offers(RunConfig config, List<R> records) throws IOException;

    /**
     * Every candidate row of one record, each with its "key".
     *
     * @param inDataset whether the row of a key was offered and kept by the checks
     */
    List<Map<String, Object>> candidateRows(R record, Predicate<String> inDataset)
        throws IOException;

    /** The {@code round-N.rft.jsonl} line of a dataset row (RFT, QFT or SFT, by method). */
    Map<String, Object> exportRow(Map<String, Object> datasetRow);

    /** Further files of the round, by name after "round-N.", with their lines. */
    default Map<String, List<Object>> moreFiles(List<R> records) throws IOException {
      return Map.of();
    }
  }

  /** A written shard, and the offers that made it into the dataset. */
  public record Written(ShardResult shard, List<Offer> kept) {}

  private final RecordStore records;
  private final ShardFilter filter;

  public ShardWriter(RecordStore records, BenchmarkTexts benchmarks, DatasetFiles files) {
    this.files = files;
    this.records = records;
    this.filter = new ShardFilter(records, benchmarks);
  }

  /**
   * Writes round {@code round}'s shard from the records of its {@code prompts} prompts.
   *
   * @param failedPrompts prompts whose workflow failed (counted in the round's tally): that many
   *     records may be missing; any more is missing data
   */
  public <R> Written write(
      Spec<R> spec, String runId, int round, int prompts, int failedPrompts, RunConfig config) {
    try {
      List<R> all = read(spec, runId, round, prompts, failedPrompts);
      List<Offer> offers = spec.offers(config, all);
      List<ShardFilter.Row> texts = new ArrayList<>();
      offers.forEach(o -> texts.add(new ShardFilter.Row(o.key(), o.text())));
      Map<String, ShardFilter.Verdict> verdicts = new HashMap<>();
      for (ShardFilter.Verdict v : filter.filter(runId, round, config, texts)) {
        verdicts.put(v.key(), v);
      }
      List<Offer> kept = new ArrayList<>();
      Set<String> keptKeys = new HashSet<>();
      for (Offer offer : offers) {
        if (verdicts.get(offer.key()).kept()) {
          kept.add(offer);
          keptKeys.add(offer.key());
        }
      }

      StringBuilder candidates = new StringBuilder();
      StringBuilder dropped = new StringBuilder();
      int candidateCount = 0;
      for (R record : all) {
        for (Map<String, Object> row : spec.candidateRows(record, keptKeys::contains)) {
          ShardFilter.Verdict verdict = verdicts.get((String) row.get("key"));
          if (verdict != null && !verdict.kept()) {
            row.put("dropped", verdict.kind());
            row.put("dropReason", verdict.reason());
            row.put("duplicateOf", verdict.duplicateOf());
            dropped.append(Json.line(droppedRow(verdict))).append('\n');
          }
          candidates.append(Json.line(row)).append('\n');
          candidateCount++;
        }
      }
      StringBuilder dataset = new StringBuilder();
      StringBuilder export = new StringBuilder();
      for (Offer offer : kept) {
        dataset.append(Json.line(offer.row())).append('\n');
        export.append(Json.line(spec.exportRow(offer.row()))).append('\n');
      }

      Path dir = DatasetActivitiesImpl.runDirectory(config, runId);
      String prefix = "round-" + round;
      Path datasetFile = dir.resolve(prefix + ".jsonl");
      Path candidatesFile = dir.resolve(prefix + ".candidates.jsonl");
      Path exportFile = dir.resolve(prefix + ".rft.jsonl");
      files.write(candidatesFile, bytes(candidates));
      files.write(exportFile, bytes(export));
      for (var file : spec.moreFiles(all).entrySet()) {
        StringBuilder lines = new StringBuilder();
        file.getValue().forEach(line -> lines.append(Json.line(line)).append('\n'));
        files.write(dir.resolve(prefix + "." + file.getKey()), bytes(lines));
      }
      files.write(dir.resolve(prefix + ".dropped.jsonl"), bytes(dropped));
      // The dataset file last: its presence means the whole shard is there.
      files.write(datasetFile, bytes(dataset));
      return new Written(
          new ShardResult(
              datasetFile.toString(),
              candidatesFile.toString(),
              exportFile.toString(),
              kept.size(),
              candidateCount),
          kept);
    } catch (NoSuchFileException e) {
      throw Failures.dataMissing(e.getFile() + ": " + e.getReason());
    } catch (IOException e) {
      throw Failures.infrastructure("DatasetWriteFailed", e.getMessage(), e);
    }
  }

  /**
   * The records of a round's prompts, in prompt order; up to {@code mayBeMissing} of them may be
   * absent (prompts that failed as a whole), any more is missing data.
   */
  public <R> List<R> read(Spec<R> spec, String runId, int round, int prompts, int mayBeMissing)
      throws IOException {
    List<R> found = new ArrayList<>();
    int missing = 0;
    Records<R> kind = spec.records();
    for (int i = 0; i < prompts; i++) {
      String key = kind.key().of(runId, round, i);
      var record = records.read(key, kind.type());
      if (record.isPresent()) {
        found.add(record.get());
      } else if (++missing > mayBeMissing) {
        throw Failures.dataMissing(
            kind.name()
                + " "
                + key
                + " is missing"
                + (mayBeMissing > 0
                    ? " (more than the round's " + mayBeMissing + " failed prompts)"
                    : ""));
      }
    }
    return found;
  }

  /** A dropped row's line in round-N.dropped.jsonl. */
  static Map<String, Object> droppedRow(ShardFilter.Verdict verdict) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", verdict.key());
    row.put("dropped", verdict.kind());
    row.put("reason", verdict.reason());
    row.put("duplicateOf", verdict.duplicateOf());
    return row;
  }

  private static byte[] bytes(StringBuilder text) {
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
