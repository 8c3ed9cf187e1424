package dev.quarry.core.dedup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Near-duplicate removal over a whole run. Texts are offered in a fixed order; the first of a group
 * of near duplicates is kept and every later one is dropped naming the id it duplicates. Kept texts
 * join the index, so later batches (rounds) are compared with all earlier ones. The state to
 * persist between batches is just the kept ids and their signatures ({@link #kept}).
 */
public final class NearDuplicateFilter {
  /** The verdict on one text. {@code duplicateOf} and {@code similarity} are set when dropped. */
  public record Decision(
      String id, boolean kept, String duplicateOf, double similarity, long[] signature) {
    public String reason() {
      return kept
          ? null
          : String.format(
              Locale.ROOT,
              "near duplicate of %s (estimated Jaccard %.3f)",
              duplicateOf,
              similarity);
    }
  }

  private final DedupSettings settings;
  private final MinHasher hasher;
  private final LshIndex index;

  public NearDuplicateFilter(DedupSettings settings) {
    this.settings = settings;
    this.hasher = new MinHasher(settings.numHashes(), settings.seed());
    this.index = new LshIndex(settings.bands(), settings.rows());
  }

  /** Restores the kept texts of earlier batches, in their original order. */
  public void restore(Map<String, long[]> keptSignatures) {
    keptSignatures.forEach(index::add);
  }

  public long[] signature(String text) {
    return hasher.signature(Shingles.of(text, settings.shingleSize()));
  }

  /**
   * Decides one text: dropped when some kept text's estimated similarity reaches the threshold (the
   * most similar one is named; ties go to the earliest), otherwise kept and indexed.
   */
  public Decision offer(String id, String text) {
    long[] signature = signature(text);
    String best = null;
    double bestSimilarity = -1;
    for (String candidate : index.candidates(signature)) {
      double similarity = MinHasher.similarity(signature, index.signature(candidate));
      if (similarity > bestSimilarity) {
        best = candidate;
        bestSimilarity = similarity;
      }
    }
    if (best != null && bestSimilarity >= settings.threshold()) {
      return new Decision(id, false, best, bestSimilarity, signature);
    }
    index.add(id, signature);
    return new Decision(id, true, null, 0, signature);
  }

  public List<Decision> offerAll(List<Map.Entry<String, String>> idsAndTexts) {
    List<Decision> decisions = new ArrayList<>();
    for (var entry : idsAndTexts) {
      decisions.add(offer(entry.getKey(), entry.getValue()));
    }
    return decisions;
  }

  public int indexed() {
    return index.size();
  }
}
