package dev.quarry.core.dedup;

import java.nio.charset.StandardCharsets;

/**
 * 64-bit hashes that are the same on every JVM, worker and run ({@link String#hashCode} is only 32
 * bits and collides too often for a run-long index): FNV-1a over the UTF-8 bytes, then SplitMix64's
 * finaliser to spread the bits FNV leaves correlated.
 */
public final class StableHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private StableHash() {}

  public static long of(String text) {
    long h = FNV_OFFSET;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser: a bijection on 64-bit values with good avalanche. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
