package dev.quarry.workers.cli.report;

import java.util.List;

/**
 * Equal-width bins over [lo, hi]; the last bin is closed so hi itself lands in it. Values outside
 * the range are clamped into the end bins (δ and solve rates live in [0, 1] anyway).
 */
record Histogram(double lo, double hi, int[] counts) {
  static Histogram of(List<Double> values, double lo, double hi, int bins) {
    if (bins < 1 || !(hi > lo)) {
      throw new IllegalArgumentException("need bins >= 1 and hi > lo");
    }
    int[] counts = new int[bins];
    for (double v : values) {
      int bin = (int) Math.floor((v - lo) / (hi - lo) * bins);
      counts[Math.max(0, Math.min(bins - 1, bin))]++;
    }
    return new Histogram(lo, hi, counts);
  }

  int bins() {
    return counts.length;
  }

  double binStart(int bin) {
    return lo + (hi - lo) * bin / counts.length;
  }

  int total() {
    int n = 0;
    for (int c : counts) {
      n += c;
    }
    return n;
  }
}
