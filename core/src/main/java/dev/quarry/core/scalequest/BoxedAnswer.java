package dev.quarry.core.scalequest;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ScaleQuest-local final-answer extraction and equivalence for math responses: the last
 * {@code \boxed{…}} (balanced braces), else the last "the answer is …" / "final answer: …". Kept
 * deliberately small and private to this package; a shared answers package is being written
 * elsewhere and will replace it on merge.
 */
public final class BoxedAnswer {
  private static final Pattern STATED =
      Pattern.compile("(?i)(?:final answer|the answer is)\\s*(?:is)?\\s*[:=]?\\s*([^\\n]+)");
  private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[-+]?\\d+)?");
  private static final Pattern THOUSANDS = Pattern.compile("[-+]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?");
  private static final Pattern FRAC = Pattern.compile("([-+]?)\\\\frac\\{([^{}]+)\\}\\{([^{}]+)\\}");
  private static final Pattern SLASH = Pattern.compile("([-+]?[^/]+)/([^/]+)");
  private static final Pattern TEXT = Pattern.compile("\\\\(?:text|mathrm|mbox)\\{([^{}]*)\\}");
  private static final Pattern VARIABLE_PREFIX = Pattern.compile("^[a-zA-Z]=(?=.)");
  private static final double RELATIVE_TOLERANCE = 1e-6;

  private BoxedAnswer() {}

  /** The response's final answer as written (trimmed), if it states one. */
  public static Optional<String> extract(String response) {
    if (response == null) {
      return Optional.empty();
    }
    Optional<String> boxed = lastBoxed(response);
    if (boxed.isPresent()) {
      return boxed;
    }
    Matcher stated = STATED.matcher(response);
    String last = null;
    while (stated.find()) {
      last = stated.group(1);
    }
    if (last == null) {
      return Optional.empty();
    }
    String answer = last.strip().replaceAll("[\\s.$]+$", "").replaceAll("^\\$+", "").strip();
    return answer.isEmpty() ? Optional.empty() : Optional.of(answer);
  }

  /** ScaleQuest's answer-present check: a response without a final answer cannot be graded. */
  public static boolean present(String response) {
    return extract(response).isPresent();
  }

  /** A canonical spelling: no spaces, dollars, sizing commands, degree or percent marks. */
  public static String normalize(String answer) {
    String a = answer.strip();
    Matcher text = TEXT.matcher(a);
    a = text.replaceAll("$1");
    a = a.replace("\\left", "").replace("\\right", "").replace("\\!", "").replace("\\,", "")
        .replace("\\;", "").replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
        .replace("^{\\circ}", "").replace("^\\circ", "").replace("\\%", "").replace("%", "")
        .replace("$", "");
    a = a.replaceAll("\\s+", "");
    a = a.replaceAll("\\.+$", "");
    a = VARIABLE_PREFIX.matcher(a).replaceFirst("");
    return a.toLowerCase(Locale.ROOT);
  }

  /** The numeric value of a normalized answer: integers, decimals, 1,000, a/b, \frac{a}{b}. */
  public static OptionalDouble value(String normalized) {
    String a = normalized;
    if (THOUSANDS.matcher(a).matches()) {
      a = a.replace(",", "");
    }
    if (NUMBER.matcher(a).matches()) {
      return OptionalDouble.of(Double.parseDouble(a));
    }
    Matcher frac = FRAC.matcher(a);
    if (frac.matches()) {
      return ratio(frac.group(1) + frac.group(2), frac.group(3));
    }
    Matcher slash = SLASH.matcher(a);
    if (slash.matches()) {
      return ratio(slash.group(1), slash.group(2));
    }
    return OptionalDouble.empty();
  }

  /** Same answer: equal once normalized, or numerically equal within a relative 1e-6. */
  public static boolean equivalent(String a, String b) {
    String x = normalize(a);
    String y = normalize(b);
    if (x.equals(y)) {
      return true;
    }
    OptionalDouble vx = value(x);
    OptionalDouble vy = value(y);
    if (vx.isEmpty() || vy.isEmpty()) {
      return false;
    }
    double p = vx.getAsDouble();
    double q = vy.getAsDouble();
    return Math.abs(p - q) <= RELATIVE_TOLERANCE * Math.max(1, Math.max(Math.abs(p), Math.abs(q)));
  }

  private static OptionalDouble ratio(String numerator, String denominator) {
    if (!NUMBER.matcher(numerator).matches() || !NUMBER.matcher(denominator).matches()) {
      return OptionalDouble.empty();
    }
    double d = Double.parseDouble(denominator);
    if (d == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Double.parseDouble(numerator) / d);
  }

  private static Optional<String> lastBoxed(String text) {
    int start = Math.max(text.lastIndexOf("\\boxed{"), text.lastIndexOf("\\fbox{"));
    if (start < 0) {
      return Optional.empty();
    }
    int open = text.indexOf('{', start);
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          String inner = text.substring(open + 1, i).strip();
          return inner.isEmpty() ? Optional.empty() : Optional.of(inner);
        }
      }
    }
    return Optional.empty(); // unbalanced: the response was cut off inside its answer
  }
}
