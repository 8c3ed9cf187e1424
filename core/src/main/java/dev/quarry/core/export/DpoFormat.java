package dev.quarry.core.export;

import dev.quarry.core.prompts.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How preference pairs are written, one JSON object per line.
 *
 * <ul>
 *   <li>{@link #TRL}: TRL's DPOTrainer, conversational preference format: {@code {"prompt":
 *       [messages], "chosen": [assistant message], "rejected": [assistant message]}}; TRL applies
 *       the model's chat template itself.
 *   <li>{@link #OPENAI}: OpenAI's preference fine-tuning (method {@code dpo}): {@code {"input":
 *       {"messages": [...]}, "preferred_output": [assistant message], "non_preferred_output":
 *       [assistant message]}}.
 * </ul>
 */
public enum DpoFormat {
  TRL,
  OPENAI;

  public static DpoFormat parse(String name) {
    for (DpoFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown DPO format '" + name + "'; use trl or openai");
  }

  public String fileSuffix() {
    return ".dpo-" + name().toLowerCase(Locale.ROOT) + ".jsonl";
  }

  public Map<String, Object> row(PreferencePair pair) {
    List<Map<String, String>> chosen = List.of(Messages.of(Message.assistant(pair.chosen())));
    List<Map<String, String>> rejected = List.of(Messages.of(Message.assistant(pair.rejected())));
    Map<String, Object> row = new LinkedHashMap<>();
    switch (this) {
      case TRL -> {
        row.put("prompt", Messages.of(pair.prompt()));
        row.put("chosen", chosen);
        row.put("rejected", rejected);
      }
      case OPENAI -> {
        row.put("input", Map.of("messages", Messages.of(pair.prompt())));
        row.put("preferred_output", chosen);
        row.put("non_preferred_output", rejected);
      }
    }
    return row;
  }
}
