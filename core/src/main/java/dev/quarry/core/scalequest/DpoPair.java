package dev.quarry.core.scalequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One QPO preference pair: for the generator's own prompt (its raw prefix), the rewritten question
 * is preferred over the one it wrote.
 */
public record DpoPair(String prompt, String chosen, String rejected, QpoDirection direction) {

  /** Why a rewrite cannot make a pair, or empty when it can. */
  public static Optional<String> unusable(String original, String rewrite) {
    if (rewrite == null || rewrite.isBlank()) {
      return Optional.of("rewriter wrote nothing");
    }
    if (squash(rewrite).equals(squash(original))) {
      return Optional.of("rewrite is identical to the original");
    }
    return Optional.empty();
  }

  /**
   * TRL DPOTrainer's standard (non-conversational) preference format: a raw prompt, which is
   * exactly how a question generator fed a raw prefix is trained.
   */
  public Map<String, Object> trlRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("prompt", prompt);
    row.put("chosen", chosen);
    row.put("rejected", rejected);
    return row;
  }

  private static String squash(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }
}
