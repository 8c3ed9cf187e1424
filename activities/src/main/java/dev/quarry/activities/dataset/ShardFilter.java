package dev.quarry.activities.dataset;

import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.dedup.DedupSettings;
import dev.quarry.core.dedup.NearDuplicateFilter;
import dev.quarry.core.dedup.NgramDecontaminator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last check before a shard is written, for any method: rows whose text shares an n-gram with a
 * benchmark are dropped, then rows that nearly duplicate a row kept earlier in the run (this shard
 * or any earlier one) are dropped, each with its reason.
 *
 * <p>The near-duplicate state is persisted per (run, shard number) in the record store: writing
 * shard N reads the kept signatures of shards 0..N−1 and replaces shard N's own, so a retried or
 * resumed write gives the same result and never sees its own rows as earlier ones.
 */
public final class ShardFilter {
  /** A row to check: its dataset key and the text that must be new (the problem statement). */
  public record Row(String key, String text) {}

  /** What happened to a row; {@code kind} is "contaminated" or "near-duplicate" when dropped. */
  public record Verdict(String key, boolean kept, String kind, String reason, String duplicateOf) {
    static Verdict keep(String key) {
      return new Verdict(key, true, null, null, null);
    }
  }

  /** The kept rows of one shard, in order, with their MinHash signatures. */
  public record DedupState(
      int shingleSize,
      int bands,
      int rows,
      long seed,
      List<String> keys,
      List<long[]> signatures) {}

  private final RecordStore records;
  private final BenchmarkTexts benchmarks;

  public ShardFilter(RecordStore records, BenchmarkTexts benchmarks) {
    this.records = records;
    this.benchmarks = benchmarks;
  }

  public List<Verdict> filter(String runId, int shard, RunConfig config, List<Row> rows)
      throws IOException {
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    List<Row> clean = new ArrayList<>();
    NgramDecontaminator contamination =
        config.decontamination().files().isEmpty()
            ? null
            : benchmarks.index(config.decontamination().files(), config.decontamination().n());
    for (Row row : rows) {
      Optional<NgramDecontaminator.Match> match =
          contamination == null ? Optional.empty() : contamination.firstMatch(row.text());
      if (match.isPresent()) {
        verdicts.put(
            row.key(), new Verdict(row.key(), false, "contaminated", match.get().reason(), null));
      } else {
        clean.add(row);
      }
    }
    if (config.dedup().enabled()) {
      DedupSettings settings = settings(config);
      NearDuplicateFilter filter = new NearDuplicateFilter(settings);
      for (int earlier = 0; earlier < shard; earlier++) {
        Optional<DedupState> state = records.read(stateKey(runId, earlier), DedupState.class);
        if (state.isPresent()) {
          filter.restore(signatures(state.get(), settings, runId, earlier));
        }
      }
      List<String> keptKeys = new ArrayList<>();
      List<long[]> keptSignatures = new ArrayList<>();
      for (Row row : clean) {
        NearDuplicateFilter.Decision d = filter.offer(row.key(), row.text());
        if (d.kept()) {
          keptKeys.add(row.key());
          keptSignatures.add(d.signature());
          verdicts.put(row.key(), Verdict.keep(row.key()));
        } else {
          verdicts.put(
              row.key(),
              new Verdict(row.key(), false, "near-duplicate", d.reason(), d.duplicateOf()));
        }
      }
      records.write(
          stateKey(runId, shard),
          new DedupState(
              settings.shingleSize(),
              settings.bands(),
              settings.rows(),
              settings.seed(),
              keptKeys,
              keptSignatures));
    } else {
      clean.forEach(row -> verdicts.put(row.key(), Verdict.keep(row.key())));
    }
    List<Verdict> ordered = new ArrayList<>();
    rows.forEach(row -> ordered.add(verdicts.get(row.key())));
    return ordered;
  }

  /** The MinHash functions are seeded by the run's seed: the same on every worker and restart. */
  static DedupSettings settings(RunConfig config) {
    return new DedupSettings(
        config.dedup().threshold(),
        config.dedup().shingleSize(),
        config.dedup().bands(),
        config.dedup().rows(),
        config.seed());
  }

  static String stateKey(String runId, int shard) {
    return "runs/" + FileNames.safe(runId) + "/dedup/shard-" + shard;
  }

  private static Map<String, long[]> signatures(
      DedupState state, DedupSettings settings, String runId, int shard) {
    if (state.shingleSize() != settings.shingleSize()
        || state.bands() != settings.bands()
        || state.rows() != settings.rows()
        || state.seed() != settings.seed()) {
      throw Failures.invalidConfig(
          "near-duplicate state of run "
              + runId
              + " shard "
              + shard
              + " was made with other dedup settings; a run's dedup settings must not change");
    }
    Map<String, long[]> result = new LinkedHashMap<>();
    for (int i = 0; i < state.keys().size(); i++) {
      result.put(state.keys().get(i), state.signatures().get(i));
    }
    return result;
  }
}
