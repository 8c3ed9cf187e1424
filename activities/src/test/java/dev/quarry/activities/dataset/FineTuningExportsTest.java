package dev.quarry.activities.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import dev.quarry.core.export.DpoFormat;
import dev.quarry.core.export.PreferencePair;
import dev.quarry.core.prompts.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuningExportsTest {
  @TempDir Path temp;
  static final List<Message> PROMPT =
      List.of(Message.system("s"), Message.user("Rewrite: add two numbers."));

  @Test
  void sftAndBothDpoFormatsAreOneObjectPerLine() throws Exception {
    Path sft = temp.resolve("x.sft.jsonl");
    FineTuningExports.writeSft(
        sft,
        List.of(
            new FineTuningExports.SftExample(PROMPT, "Add two 60-digit numbers."),
            new FineTuningExports.SftExample(List.of(Message.user("u")), "a")));
    List<String> lines = Files.readAllLines(sft);
    assertEquals(2, lines.size());
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    assertEquals("assistant", first.at("/messages/2/role").asText());
    assertEquals("Add two 60-digit numbers.", first.at("/messages/2/content").asText());

    PreferencePair pair =
        new PreferencePair(PROMPT, "Add two 60-digit numbers.", "Add two numbers.");
    Path trl = temp.resolve("x" + DpoFormat.TRL.fileSuffix());
    FineTuningExports.writeDpo(trl, List.of(pair), DpoFormat.TRL);
    JsonNode t = Json.MAPPER.readTree(Files.readAllLines(trl).get(0));
    assertEquals("Rewrite: add two numbers.", t.at("/prompt/1/content").asText());
    assertEquals("Add two 60-digit numbers.", t.at("/chosen/0/content").asText());
    assertEquals("Add two numbers.", t.at("/rejected/0/content").asText());

    Path openai = temp.resolve("x" + DpoFormat.OPENAI.fileSuffix());
    FineTuningExports.writeDpo(openai, List.of(pair), DpoFormat.OPENAI);
    JsonNode o = Json.MAPPER.readTree(Files.readAllLines(openai).get(0));
    assertEquals("user", o.at("/input/messages/1/role").asText());
    assertEquals("Add two 60-digit numbers.", o.at("/preferred_output/0/content").asText());
    assertEquals("Add two numbers.", o.at("/non_preferred_output/0/content").asText());
  }
}
