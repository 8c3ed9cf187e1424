package dev.quarry.core.sandbox;

import java.util.List;
import java.util.Locale;

/** Compares program outputs according to a {@link Comparison}. Pure and thread-safe. */
public record OutputComparator(Comparison comparison, double absTolerance, double relTolerance) {
  public static final OutputComparator DEFAULT =
      new OutputComparator(Comparison.WHITESPACE, 1e-6, 1e-6);

  public static OutputComparator of(Comparison comparison) {
    return new OutputComparator(comparison, 1e-6, 1e-6);
  }

  public boolean matches(String expected, String actual) {
    if (expected == null || actual == null) {
      return false;
    }
    return switch (comparison) {
      case EXACT -> expected.equals(actual);
      case WHITESPACE -> tokens(expected).equals(tokens(actual));
      case CASE_INSENSITIVE ->
          tokens(expected.toLowerCase(Locale.ROOT)).equals(tokens(actual.toLowerCase(Locale.ROOT)));
      case FLOAT_TOLERANCE -> floatTokensMatch(expected, actual);
    };
  }

  /** A canonical form: two outputs match exactly when their canonical forms are equal. */
  public String canonical(String output) {
    if (output == null) {
      return "";
    }
    return switch (comparison) {
      case EXACT -> output;
      case WHITESPACE, FLOAT_TOLERANCE -> String.join(" ", tokens(output));
      case CASE_INSENSITIVE -> String.join(" ", tokens(output.toLowerCase(Locale.ROOT)));
    };
  }

  private static List<String> tokens(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return List.of();
    }
    return List.of(trimmed.split("\\s+"));
  }

  private boolean floatTokensMatch(String expected, String actual) {
    var want = tokens(expected);
    var got = tokens(actual);
    if (want.size() != got.size()) {
      return false;
    }
    for (int i = 0; i < want.size(); i++) {
      String w = want.get(i);
      String g = got.get(i);
      if (w.equals(g)) {
        continue;
      }
      try {
        double a = Double.parseDouble(w);
        double b = Double.parseDouble(g);
        double diff = Math.abs(a - b);
        if (diff > absTolerance && diff > relTolerance * Math.max(Math.abs(a), Math.abs(b))) {
          return false;
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }
}
