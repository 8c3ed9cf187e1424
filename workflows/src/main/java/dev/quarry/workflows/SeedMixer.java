package dev.quarry.workflows;

/**
 * Derives independent, reproducible seeds for each (round, prompt, candidate, rollout) from the
 * run's seed, with SplitMix64's finaliser, so a re-run with the same seed asks the same questions.
 */
public final class SeedMixer {
  private SeedMixer() {}

  public static long derive(long base, long... parts) {
    long h = mix(base);
    for (long part : parts) {
      h = mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
    }
    // Many servers take the seed as a signed 32-bit int; stay positive and within it.
    return h & 0x7FFFFFFFL;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
