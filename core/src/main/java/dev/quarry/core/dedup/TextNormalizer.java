package dev.quarry.core.dedup;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into comparable words: Unicode-normalised (NFKC), lower case, every run of characters
 * that is not a letter or digit is a separator. Two problem statements that differ only in case,
 * punctuation, spacing or line breaks give the same words, so neither near-duplicate removal nor
 * decontamination is fooled by reformatting.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  public static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    if (text == null) {
      return words;
    }
    String normal = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < normal.length(); ) {
      int cp = normal.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        word.appendCodePoint(cp);
      } else if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
      }
      i += Character.charCount(cp);
    }
    if (word.length() > 0) {
      words.add(word.toString());
    }
    return words;
  }
}
