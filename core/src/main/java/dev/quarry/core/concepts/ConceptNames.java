package dev.quarry.core.concepts;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison key of a concept name: Unicode-normalised, lower case, punctuation and underscores
 * as spaces (except the '+' and '#' of names like C++ and C#), single spaces, and the last word
 * made singular, since English compounds inflect their head noun ("prefix sums", "binary search
 * trees"). Two names with the same key are the same concept.
 */
public final class ConceptNames {
  /** Plurals of concept words that the regular rules would get wrong. */
  private static final Map<String, String> IRREGULAR =
      Map.of("vertices", "vertex", "matrices", "matrix", "indices", "index");

  private ConceptNames() {}

  public static String key(String raw) {
    String text =
        Normalizer.normalize(raw == null ? "" : raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (Character.isLetterOrDigit(cp) || cp == '+' || cp == '#') {
        out.appendCodePoint(cp);
      } else {
        out.append(' ');
      }
      i += Character.charCount(cp);
    }
    String spaced = out.toString().strip().replaceAll(" +", " ");
    if (spaced.isEmpty()) {
      return spaced;
    }
    int lastSpace = spaced.lastIndexOf(' ');
    return spaced.substring(0, lastSpace + 1) + singular(spaced.substring(lastSpace + 1));
  }

  /**
   * A conservative singular: only regular plural endings, and never on short words or words whose
   * "s" is not a plural ending (class, bus, analysis, bfs).
   */
  static String singular(String word) {
    String irregular = IRREGULAR.get(word);
    if (irregular != null) {
      return irregular;
    }
    if (word.length() <= 3 || !word.chars().allMatch(Character::isLetter)) {
      return word;
    }
    if (word.endsWith("ies") && word.length() > 4) {
      return word.substring(0, word.length() - 3) + "y"; // queries → query
    }
    if (word.endsWith("sses")
        || word.endsWith("xes")
        || word.endsWith("ches")
        || word.endsWith("shes")) {
      return word.substring(0, word.length() - 2); // classes → class, matches → match
    }
    if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is") || word.endsWith("ics")) {
      return word; // class, modulus, analysis, combinatorics, mathematics
    }
    if (word.endsWith("s")) {
      return word.substring(0, word.length() - 1); // trees → tree
    }
    return word;
  }

  /** Levenshtein distance (insertions, deletions, substitutions each cost 1). */
  public static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /**
   * Whether two different keys are spelling variants of one concept: one edit apart, both at least
   * {@code minLength} characters (short names like bfs/dfs differ by one letter and mean different
   * things), and the same digits (2-sat is not 3-sat).
   */
  public static boolean spellingVariants(String a, String b, int minLength) {
    return a.length() >= minLength
        && b.length() >= minLength
        && digits(a).equals(digits(b))
        && editDistance(a, b) == 1;
  }

  private static String digits(String s) {
    return s.replaceAll("[^0-9]", "");
  }
}
