package dev.quarry.core.dedup;

import java.util.Arrays;
import java.util.Collection;

/**
 * MinHash signatures. Hash function i is h_i(x) = (a_i·x + b_i) mod p over the Mersenne prime p =
 * 2^61 − 1, with a_i, b_i drawn from a SplitMix64 stream of the given seed, so the same seed gives
 * the same functions on every worker and after every restart, and signatures stored by one round
 * compare with signatures of the next. For two sets A, B the probability that their minima under
 * one h_i agree is their Jaccard similarity, so the fraction of agreeing positions estimates it
 * (standard error ≈ sqrt(J(1−J)/numHashes)).
 */
public final class MinHasher {
  static final long MERSENNE_61 = (1L << 61) - 1;

  private final long seed;
  private final long[] a;
  private final long[] b;

  public MinHasher(int numHashes, long seed) {
    if (numHashes < 1) {
      throw new IllegalArgumentException("numHashes must be >= 1, got " + numHashes);
    }
    this.seed = seed;
    this.a = new long[numHashes];
    this.b = new long[numHashes];
    long state = seed;
    for (int i = 0; i < numHashes; i++) {
      state += 0x9E3779B97F4A7C15L;
      a[i] = 1 + Long.remainderUnsigned(StableHash.mix(state), MERSENNE_61 - 1); // a ∈ [1, p−1]
      state += 0x9E3779B97F4A7C15L;
      b[i] = Long.remainderUnsigned(StableHash.mix(state), MERSENNE_61); // b ∈ [0, p−1]
    }
  }

  public int numHashes() {
    return a.length;
  }

  public long seed() {
    return seed;
  }

  /** The signature of a set of shingles; an empty set gives all positions = p (no minimum). */
  public long[] signature(Collection<String> shingles) {
    long[] signature = new long[a.length];
    Arrays.fill(signature, MERSENNE_61);
    for (String shingle : shingles) {
      long x = Long.remainderUnsigned(StableHash.of(shingle), MERSENNE_61);
      for (int i = 0; i < a.length; i++) {
        long h = hash(a[i], b[i], x);
        if (h < signature[i]) {
          signature[i] = h;
        }
      }
    }
    return signature;
  }

  /** The fraction of positions where two signatures agree: the Jaccard estimate. */
  public static double similarity(long[] s, long[] t) {
    if (s.length != t.length) {
      throw new IllegalArgumentException(
          "signatures of different lengths (" + s.length + " vs " + t.length + ") do not compare");
    }
    int same = 0;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == t[i]) {
        same++;
      }
    }
    return (double) same / s.length;
  }

  /** (a·x + b) mod (2^61 − 1) without overflow, for a, x, b < 2^61. */
  static long hash(long a, long b, long x) {
    long lo = a * x;
    long hi = Math.multiplyHigh(a, x);
    // a·x = hi·2^64 + lo (unsigned lo); 2^64 ≡ 2^3 mod p, and 2^61 ≡ 1.
    long low61 = lo & MERSENNE_61;
    long rest = (lo >>> 61) | (hi << 3);
    long r = mod61(low61 + mod61(rest));
    return mod61(r + b);
  }

  private static long mod61(long v) {
    long r = (v & MERSENNE_61) + (v >>> 61);
    return r >= MERSENNE_61 ? r - MERSENNE_61 : r;
  }
}
