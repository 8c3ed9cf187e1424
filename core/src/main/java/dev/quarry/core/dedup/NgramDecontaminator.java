package dev.quarry.core.dedup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * n-gram decontamination: a text is contaminated when any n consecutive normalised words of it also
 * occur in a benchmark text (the overlap test of GPT-3 and Llama reports, 13 words by default).
 * Benchmark n-grams are held as 64-bit hashes, so large benchmarks fit in memory; the reported
 * n-gram is the text's own words, so a hash collision would show in the reason.
 */
public final class NgramDecontaminator {
  public static final int DEFAULT_N = 13;

  /** Where a benchmark text came from, e.g. file and line. */
  public record Source(String name) {}

  /** The first shared n-gram of a contaminated text and the benchmark text holding it. */
  public record Match(String ngram, Source source) {
    public String reason() {
      return "shares the "
          + ngram.split(" ").length
          + "-gram \""
          + ngram
          + "\" with benchmark "
          + source.name();
    }
  }

  private final int n;
  private final Map<Long, Source> ngrams = new HashMap<>();

  public NgramDecontaminator(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    this.n = n;
  }

  public int n() {
    return n;
  }

  /** Benchmark texts shorter than n words add one n-gram of all their words. */
  public void addBenchmark(String text, Source source) {
    for (String ngram : Shingles.of(text, n)) {
      ngrams.putIfAbsent(StableHash.of(ngram), source);
    }
  }

  public int size() {
    return ngrams.size();
  }

  /**
   * The first n-gram of the text found in a benchmark. A text shorter than n words matches only a
   * benchmark text made of exactly the same words (both are then one whole-text n-gram).
   */
  public Optional<Match> firstMatch(String text) {
    List<String> words = TextNormalizer.words(text);
    for (String ngram : Shingles.ofWords(words, n)) {
      Source source = ngrams.get(StableHash.of(ngram));
      if (source != null) {
        return Optional.of(new Match(ngram, source));
      }
    }
    return Optional.empty();
  }
}
