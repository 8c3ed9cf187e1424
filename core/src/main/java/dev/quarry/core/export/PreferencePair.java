package dev.quarry.core.export;

import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * One preference example for DPO: the same prompt answered twice, one answer preferred (for
 * ScaleQuest's QPO, the rewritten question is chosen and the original rejected).
 */
public record PreferencePair(List<Message> prompt, String chosen, String rejected) {
  public PreferencePair {
    prompt = List.copyOf(prompt);
    if (prompt.isEmpty()) {
      throw new IllegalArgumentException("a preference pair needs at least one prompt message");
    }
    if (chosen == null || chosen.isBlank() || rejected == null || rejected.isBlank()) {
      throw new IllegalArgumentException(
          "a preference pair needs non-empty chosen and rejected answers");
    }
    if (chosen.equals(rejected)) {
      throw new IllegalArgumentException(
          "chosen and rejected are the same text: no preference to learn");
    }
  }
}
