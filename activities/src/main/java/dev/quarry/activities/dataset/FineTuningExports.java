package dev.quarry.activities.dataset;

import dev.quarry.activities.store.AtomicFiles;
import dev.quarry.activities.store.Json;
import dev.quarry.core.export.DpoFormat;
import dev.quarry.core.export.PreferencePair;
import dev.quarry.core.export.SftChatRow;
import dev.quarry.core.prompts.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes fine-tuning files for any method, atomically (a retried write replaces the file): SFT chat
 * rows ({@link SftChatRow}) and DPO preference pairs in TRL's or OpenAI's format ({@link
 * DpoFormat}). One JSON object per line.
 */
public final class FineTuningExports {
  /** One SFT example: the prompt and the answer to train on. */
  public record SftExample(List<Message> prompt, String answer) {}

  private FineTuningExports() {}

  public static void writeSft(Path file, List<SftExample> examples) throws IOException {
    StringBuilder out = new StringBuilder();
    for (SftExample e : examples) {
      out.append(Json.line(SftChatRow.of(e.prompt(), e.answer()))).append('\n');
    }
    AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static void writeDpo(Path file, List<PreferencePair> pairs, DpoFormat format)
      throws IOException {
    StringBuilder out = new StringBuilder();
    for (PreferencePair pair : pairs) {
      Map<String, Object> row = format.row(pair);
      out.append(Json.line(row)).append('\n');
    }
    AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
