package dev.quarry.core.scalequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LanguageCheckTest {
  @Test
  void englishPasses() {
    // letters: all 15 Latin; words: find the sum of all x → the, of, all, find = 4 of 6.
    LanguageCheck c = LanguageCheck.of("Find the sum of all x.", 0.9, 0.1);
    assertTrue(c.english());
    assertEquals(1.0, c.latinShare(), 1e-12);
    assertEquals(4.0 / 6, c.englishWordShare(), 1e-12);
  }

  @Test
  void otherScriptsFail() {
    // 5 Cyrillic letters + "x" = 6 letters, 1 Latin: share 1/6.
    LanguageCheck c = LanguageCheck.of("Найти x", 0.9, 0.1);
    assertFalse(c.english());
    assertEquals(1.0 / 6, c.latinShare(), 1e-12);
    assertEquals("Latin-script letters 0.17 < 0.90", c.reason());
  }

  @Test
  void otherLatinLanguagesFailOnFunctionWords() {
    // Trouvez la somme des entiers: 0 of 4 words are English function words.
    LanguageCheck c = LanguageCheck.of("Trouvez la somme des entiers", 0.9, 0.1);
    assertFalse(c.english());
    assertEquals(0.0, c.englishWordShare(), 0);
    assertEquals("English function words 0.00 < 0.10", c.reason());
  }

  @Test
  void noLettersFail() {
    assertEquals("no letters", LanguageCheck.of("12 + 7 = ?", 0.9, 0.1).reason());
    assertEquals("no letters", LanguageCheck.of(null, 0.9, 0.1).reason());
  }
}
