package dev.quarry.core.export;

import dev.quarry.core.prompts.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Chat messages as the {@code {"role", "content"}} objects every fine-tuning format uses. */
final class Messages {
  private Messages() {}

  static Map<String, String> of(Message m) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("role", m.role());
    out.put("content", m.content());
    return out;
  }

  static List<Map<String, String>> of(List<Message> messages) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Message m : messages) {
      out.add(of(m));
    }
    return out;
  }
}
