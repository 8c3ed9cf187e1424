package dev.quarry.core.answers;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The number a normalised answer denotes, when it is a plain number: an integer, a decimal, a
 * number in scientific notation, a fraction {@code a/b} or {@code \frac{a}{b}}, each optionally
 * negative. Anything else (expressions, intervals, tuples) is not numeric.
 */
final class NumericValue {
  private static final String NUMBER = "\\d+(?:\\.\\d*)?(?:e[+-]?\\d+)?|\\.\\d+(?:e[+-]?\\d+)?";
  private static final Pattern PLAIN = Pattern.compile("([+-]?)(" + NUMBER + ")");
  private static final Pattern SLASH = Pattern.compile("([+-]?)(" + NUMBER + ")/(" + NUMBER + ")");
  private static final Pattern FRAC =
      Pattern.compile("([+-]?)\\\\frac\\{([+-]?)(" + NUMBER + ")\\}\\{([+-]?)(" + NUMBER + ")\\}");

  private NumericValue() {}

  /**
   * @param normalised an answer already passed through {@link AnswerNormalizer}
   */
  static OptionalDouble of(String normalised) {
    Matcher m = PLAIN.matcher(normalised);
    if (m.matches()) {
      return OptionalDouble.of(sign(m.group(1)) * Double.parseDouble(m.group(2)));
    }
    m = SLASH.matcher(normalised);
    if (m.matches()) {
      return ratio(sign(m.group(1)), m.group(2), m.group(3));
    }
    m = FRAC.matcher(normalised);
    if (m.matches()) {
      double sign = sign(m.group(1)) * sign(m.group(2)) * sign(m.group(4));
      return ratio(sign, m.group(3), m.group(5));
    }
    return OptionalDouble.empty();
  }

  private static OptionalDouble ratio(double sign, String numerator, String denominator) {
    double d = Double.parseDouble(denominator);
    if (d == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(sign * Double.parseDouble(numerator) / d);
  }

  private static double sign(String s) {
    return "-".equals(s) ? -1 : 1;
  }
}
