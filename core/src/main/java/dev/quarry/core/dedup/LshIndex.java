package dev.quarry.core.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LSH banding over MinHash signatures: the signature is cut into {@code bands} bands of {@code
 * rows} positions; two texts become candidates when any whole band agrees. A pair of Jaccard
 * similarity J is found with probability 1 − (1 − J^rows)^bands, so the index finds near duplicates
 * without comparing each new text with every stored one. Candidates are then checked on the full
 * signature by the caller. Ids are returned in insertion order, so results are deterministic.
 */
public final class LshIndex {
  private final int bands;
  private final int rows;
  private final Map<String, long[]> signatures = new LinkedHashMap<>();
  private final Map<Long, List<String>> buckets = new HashMap<>();

  public LshIndex(int bands, int rows) {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException(
          "bands and rows must be >= 1, got " + bands + " × " + rows);
    }
    this.bands = bands;
    this.rows = rows;
  }

  public int size() {
    return signatures.size();
  }

  public void add(String id, long[] signature) {
    check(signature);
    if (signatures.putIfAbsent(id, signature.clone()) != null) {
      throw new IllegalArgumentException("id '" + id + "' is already in the index");
    }
    for (int band = 0; band < bands; band++) {
      buckets.computeIfAbsent(bucketKey(band, signature), k -> new ArrayList<>()).add(id);
    }
  }

  /** Stored ids sharing at least one band with the signature, in insertion order. */
  public List<String> candidates(long[] signature) {
    check(signature);
    Set<String> found = new LinkedHashSet<>();
    for (int band = 0; band < bands; band++) {
      List<String> bucket = buckets.get(bucketKey(band, signature));
      if (bucket != null) {
        for (String id : bucket) {
          // Two different bands can hash to one key; keep only ids whose band really agrees.
          if (bandEquals(signatures.get(id), signature, band)) {
            found.add(id);
          }
        }
      }
    }
    List<String> ordered = new ArrayList<>();
    for (String id : signatures.keySet()) {
      if (found.contains(id)) {
        ordered.add(id);
      }
    }
    return ordered;
  }

  public long[] signature(String id) {
    long[] signature = signatures.get(id);
    return signature == null ? null : signature.clone();
  }

  /** Probability that a pair of Jaccard similarity j shares at least one band. */
  public static double candidateProbability(double j, int bands, int rows) {
    return 1 - Math.pow(1 - Math.pow(j, rows), bands);
  }

  private void check(long[] signature) {
    if (signature.length != bands * rows) {
      throw new IllegalArgumentException(
          "signature has "
              + signature.length
              + " positions; this index needs bands × rows = "
              + bands * rows);
    }
  }

  private long bucketKey(int band, long[] signature) {
    long h = StableHash.mix(band + 1L);
    for (int i = band * rows; i < (band + 1) * rows; i++) {
      h = StableHash.mix(h ^ signature[i]);
    }
    return h;
  }

  private boolean bandEquals(long[] s, long[] t, int band) {
    for (int i = band * rows; i < (band + 1) * rows; i++) {
      if (s[i] != t[i]) {
        return false;
      }
    }
    return true;
  }
}
