package dev.quarry.core.scalequest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The solvability judge's FINAL verdict. Judges think aloud ("yes, at first sight … but the data
 * contradict each other"), so any occurrence of "yes" proves nothing: only the last explicit
 * verdict counts — a "Verdict: …" (or "final answer", "conclusion") marker or a \boxed{…}; failing
 * both, a last line that is nothing but the verdict word.
 */
public enum SolvabilityVerdict {
  SOLVABLE,
  UNSOLVABLE,
  /** The judge never stated a verdict: the question does not pass. */
  NO_VERDICT;

  private static final String WORD = "(not\\s+solvable|unsolvable|solvable|yes|no)";
  private static final Pattern MARKED =
      Pattern.compile(
          "(?i)\\b(?:final\\s+)?(?:verdict|answer|judgement|judgment|conclusion)\\b\\s*(?:is)?\\s*[:：=\\-]?"
              + "[\\s*_`\"'\\[(]*"
              + WORD
              + "\\b");
  private static final Pattern BOXED =
      Pattern.compile("(?i)\\\\boxed\\{\\s*(?:\\\\text\\{)?\\s*" + WORD + "\\b");
  private static final Pattern BARE =
      Pattern.compile("(?i)^[\\s*_`\"'\\[(]*" + WORD + "[\\s*_`\"'\\])!.]*$");

  public boolean passes() {
    return this == SOLVABLE;
  }

  public static SolvabilityVerdict parse(String judgeReply) {
    if (judgeReply == null || judgeReply.isBlank()) {
      return NO_VERDICT;
    }
    int bestAt = -1;
    String word = null;
    for (Pattern pattern : new Pattern[] {MARKED, BOXED}) {
      Matcher m = pattern.matcher(judgeReply);
      while (m.find()) {
        if (m.start() > bestAt) {
          bestAt = m.start();
          word = m.group(1);
        }
      }
    }
    if (word == null) {
      String[] lines = judgeReply.strip().split("\\R");
      Matcher bare = BARE.matcher(lines[lines.length - 1].strip());
      if (bare.matches()) {
        word = bare.group(1);
      }
    }
    return word == null ? NO_VERDICT : of(word);
  }

  private static SolvabilityVerdict of(String word) {
    String w = word.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    return switch (w) {
      case "solvable", "yes" -> SOLVABLE;
      default -> UNSOLVABLE;
    };
  }
}
