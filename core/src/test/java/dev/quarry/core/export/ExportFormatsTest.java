package dev.quarry.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.prompts.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportFormatsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<Message> PROMPT =
      List.of(Message.system("You set problems."), Message.user("Write one."));

  @Test
  void sftRowIsTheChatFormatTrlAndOpenAiRead() throws Exception {
    assertEquals(
        "{\"messages\":[{\"role\":\"system\",\"content\":\"You set problems.\"},"
            + "{\"role\":\"user\",\"content\":\"Write one.\"},"
            + "{\"role\":\"assistant\",\"content\":\"Sum an array.\"}]}",
        JSON.writeValueAsString(SftChatRow.of(PROMPT, "Sum an array.")));
    assertThrows(IllegalArgumentException.class, () -> SftChatRow.of(PROMPT, " "));
    assertThrows(IllegalArgumentException.class, () -> SftChatRow.of(List.of(), "x"));
  }

  @Test
  void trlDpoRowIsConversationalPromptChosenRejected() throws Exception {
    PreferencePair pair = new PreferencePair(PROMPT, "Hard problem.", "Easy problem.");
    assertEquals(
        "{\"prompt\":[{\"role\":\"system\",\"content\":\"You set problems.\"},"
            + "{\"role\":\"user\",\"content\":\"Write one.\"}],"
            + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Hard problem.\"}],"
            + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Easy problem.\"}]}",
        JSON.writeValueAsString(DpoFormat.TRL.row(pair)));
  }

  @Test
  void openAiDpoRowHasInputAndPreferredOutputs() throws Exception {
    PreferencePair pair = new PreferencePair(PROMPT, "Hard problem.", "Easy problem.");
    assertEquals(
        "{\"input\":{\"messages\":[{\"role\":\"system\",\"content\":\"You set problems.\"},"
            + "{\"role\":\"user\",\"content\":\"Write one.\"}]},"
            + "\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Hard problem.\"}],"
            + "\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"Easy problem.\"}]}",
        JSON.writeValueAsString(DpoFormat.OPENAI.row(pair)));
    assertEquals(".dpo-openai.jsonl", DpoFormat.parse("OpenAI").fileSuffix());
  }

  @Test
  void aPairWithoutAPreferenceIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PreferencePair(PROMPT, "same", "same"));
    assertThrows(IllegalArgumentException.class, () -> new PreferencePair(PROMPT, "a", ""));
    assertThrows(IllegalArgumentException.class, () -> DpoFormat.parse("kto"));
  }
}
