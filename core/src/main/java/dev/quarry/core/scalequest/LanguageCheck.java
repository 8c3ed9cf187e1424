package dev.quarry.core.scalequest;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ScaleQuest's language filter: keep English questions. Two cheap, explainable signals instead of a
 * language-id model: the share of letters in Latin script (rejects other scripts and byte soup),
 * and the share of words that are common English function words (rejects other Latin-script
 * languages and strings of non-words).
 *
 * @param latinShare Latin-script letters / all letters (0 when there are no letters)
 * @param englishWordShare English function words / all words of ASCII letters (0 when none)
 * @param reason why the text is not taken for English; null when it is
 */
public record LanguageCheck(
    boolean english, double latinShare, double englishWordShare, String reason) {
  /** Common English function words; a sentence of English almost always holds some. */
  static final Set<String> FUNCTION_WORDS =
      Set.of(
          "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from",
          "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those",
          "what", "which", "who", "how", "many", "much", "if", "then", "than", "each", "all",
          "there", "has", "have", "had", "does", "do", "did", "can", "will", "would", "his", "her",
          "their", "he", "she", "they", "we", "you", "as", "not", "find", "let", "when");

  private static final Pattern WORD = Pattern.compile("[A-Za-z]+");

  public static LanguageCheck of(String text, double minLatinShare, double minEnglishWordShare) {
    String t = text == null ? "" : text;
    int letters = 0;
    int latin = 0;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      if (Character.isLetter(cp)) {
        letters++;
        if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN) {
          latin++;
        }
      }
      i += Character.charCount(cp);
    }
    int words = 0;
    int english = 0;
    Matcher m = WORD.matcher(t);
    while (m.find()) {
      words++;
      if (FUNCTION_WORDS.contains(m.group().toLowerCase(Locale.ROOT))) {
        english++;
      }
    }
    double latinShare = letters == 0 ? 0 : (double) latin / letters;
    double englishShare = words == 0 ? 0 : (double) english / words;
    String reason = null;
    if (letters == 0) {
      reason = "no letters";
    } else if (latinShare < minLatinShare) {
      reason =
          String.format(Locale.ROOT, "Latin-script letters %.2f < %.2f", latinShare, minLatinShare);
    } else if (englishShare < minEnglishWordShare) {
      reason =
          String.format(
              Locale.ROOT, "English function words %.2f < %.2f", englishShare, minEnglishWordShare);
    }
    return new LanguageCheck(reason == null, latinShare, englishShare, reason);
  }
}
