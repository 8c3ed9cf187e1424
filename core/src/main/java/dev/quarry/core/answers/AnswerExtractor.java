package dev.quarry.core.answers;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer a math solution states: the content of the last {@code \boxed{…}} (braces
 * may nest, as in {@code \boxed{\frac{1}{2}}}); failing that, what follows the last "the answer
 * is". A solution that states neither has no answer, which counts as wrong.
 */
public final class AnswerExtractor {
  private static final String BOXED = "\\boxed";
  private static final Pattern ANSWER_IS = Pattern.compile("(?i)the (?:final )?answer is[:\\s]*");

  private AnswerExtractor() {}

  public static Optional<String> finalAnswer(String solution) {
    if (solution == null || solution.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> boxed = lastBoxed(solution);
    return boxed.isPresent() ? boxed : lastAnswerIs(solution);
  }

  /** The content of the last complete {@code \boxed{…}}; an unclosed one is skipped. */
  static Optional<String> lastBoxed(String text) {
    int from = text.length();
    while (from >= 0) {
      int at = text.lastIndexOf(BOXED, from);
      if (at < 0) {
        return Optional.empty();
      }
      int open = skipSpaces(text, at + BOXED.length());
      if (open < text.length() && text.charAt(open) == '{') {
        int close = matchingBrace(text, open);
        if (close > 0) {
          String content = text.substring(open + 1, close).strip();
          if (!content.isEmpty()) {
            return Optional.of(content);
          }
        }
      }
      from = at - 1;
    }
    return Optional.empty();
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** Index of the brace closing the one at {@code open}, or -1 when it never closes. */
  private static int matchingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\'
          && i + 1 < text.length()
          && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '}')) {
        i++; // an escaped brace \{ or \} is content, not structure
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private static Optional<String> lastAnswerIs(String text) {
    Matcher m = ANSWER_IS.matcher(text);
    int end = -1;
    while (m.find()) {
      end = m.end();
    }
    if (end < 0) {
      return Optional.empty();
    }
    String rest = text.substring(end);
    int newline = rest.indexOf('\n');
    rest = newline < 0 ? rest : rest.substring(0, newline);
    rest = rest.strip();
    // A sentence-ending period is not part of the answer; a decimal point is ("3.5.").
    while (rest.endsWith(".") || rest.endsWith("!")) {
      rest = rest.substring(0, rest.length() - 1).strip();
    }
    if (rest.startsWith("$") && rest.endsWith("$") && rest.length() >= 2) {
      rest = rest.substring(1, rest.length() - 1).strip();
    }
    return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
  }
}
