package dev.quarry.core.answers;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rewrites an answer into a normal form so that notational variants compare equal: no spaces, no
 * {@code $}, {@code \left}/{@code \right}, {@code \dfrac}/{@code \tfrac} as {@code \frac}, {@code
 * \frac12} as {@code \frac{1}{2}}, no {@code \text{…}} wrapper, no leading "x =", no thousands
 * commas, no degree or percent sign, no trailing period.
 */
public final class AnswerNormalizer {
  private static final Pattern TEXT_WRAPPER =
      Pattern.compile("\\\\(?:text|textbf|mathrm|mbox)\\{([^{}]*)\\}");
  private static final Pattern LEADING_VARIABLE =
      Pattern.compile("^[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?=(?!=)");
  private static final Pattern THOUSANDS =
      Pattern.compile("(?<![\\d.])(\\d{1,3}(?:,\\d{3})+)(?![\\d,])");
  private static final Pattern FRAC_SHORTHAND = Pattern.compile("\\\\frac(\\d)(\\d)");
  private static final Pattern FRAC_HALF_SHORTHAND = Pattern.compile("\\\\frac\\{([^{}]*)\\}(\\d)");
  private static final Pattern SQRT_SHORTHAND = Pattern.compile("\\\\sqrt(\\d+)");

  private AnswerNormalizer() {}

  public static String normalize(String answer) {
    if (answer == null) {
      return "";
    }
    String s = answer.strip();
    s = s.replace("\\left", "").replace("\\right", "");
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac");
    s = s.replace("\\!", "").replace("\\,", "").replace("\\;", "").replace("\\ ", "");
    s = s.replace("$", "");
    s = TEXT_WRAPPER.matcher(s).replaceAll("$1");
    s = s.replaceAll("\\s+", "");
    s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "");
    s = s.replace("\\%", "").replace("%", "");
    s = LEADING_VARIABLE.matcher(s).replaceFirst("");
    s = THOUSANDS.matcher(s).replaceAll(m -> m.group(1).replace(",", ""));
    s = FRAC_SHORTHAND.matcher(s).replaceAll("\\\\frac{$1}{$2}");
    s = FRAC_HALF_SHORTHAND.matcher(s).replaceAll("\\\\frac{$1}{$2}");
    s = SQRT_SHORTHAND.matcher(s).replaceAll("\\\\sqrt{$1}");
    while (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }
}
