package dev.quarry.core.export;

import dev.quarry.core.prompts.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning data in chat format, one JSON object per line: {@code {"messages":
 * [{"role": "system", ...}, {"role": "user", ...}, {"role": "assistant", ...}]}}. TRL's SFTTrainer
 * (conversational datasets) and OpenAI's chat fine-tuning both read it as is. Used for QueST's RFT
 * file and by any method that trains on (prompt, answer) pairs.
 */
public final class SftChatRow {
  private SftChatRow() {}

  /** The prompt's messages followed by the answer as the assistant's turn. */
  public static Map<String, Object> of(List<Message> prompt, String answer) {
    if (prompt.isEmpty()) {
      throw new IllegalArgumentException("an SFT example needs at least one prompt message");
    }
    if (answer == null || answer.isBlank()) {
      throw new IllegalArgumentException("an SFT example needs a non-empty assistant answer");
    }
    List<Map<String, String>> messages = new ArrayList<>(Messages.of(prompt));
    messages.add(Messages.of(Message.assistant(answer)));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("messages", messages);
    return row;
  }
}
