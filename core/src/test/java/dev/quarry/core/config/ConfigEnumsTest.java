package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.sandbox.Language;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The closed sets of a run config are enums: a config gets a clear error naming the field and the
 * allowed values, and the serialized form (workflow inputs, recorded histories) keeps the strings
 * it had when they were strings.
 */
class ConfigEnumsTest {
  private static String problemsOf(String yaml) {
    return String.join(
        "\n",
        assertThrows(RunConfigException.class, () -> RunConfigLoader.parse(yaml, "test"))
            .problems());
  }

  @Test
  void aValueOutsideTheSetNamesTheFieldAndTheChoices() {
    assertEquals(
        "field 'sandbox.language': 'rust' is not one of python, cpp",
        problemsOf("sandbox:\n  language: rust\n"));
    assertEquals(
        "field 'trainer.backend': 'axolotl' is not one of record, openai, container, python",
        problemsOf("trainer:\n  backend: axolotl\n"));
    assertEquals(
        "field 'trainer.python.data': 'sft' is not one of rft, dpo",
        problemsOf("trainer:\n  python:\n    data: sft\n"));
    assertEquals(
        "field 'trainer.openai.data': 'sft' is not one of rft, dpo",
        problemsOf("trainer:\n  openai:\n    data: sft\n"));
    assertEquals(
        "field 'method': 'evol' is not one of quest, scalequest, sparq",
        problemsOf("method: evol\n"));
  }

  @Test
  void aNullInPlaceOfAChoiceSaysWhatToSet() {
    assertTrue(
        problemsOf("sandbox:\n  language: null\n")
            .contains("'sandbox.language': set it to python or cpp"));
    assertTrue(
        problemsOf("trainer:\n  backend: null\n")
            .contains("trainer.backend must be one of [record, openai, container, python]"));
  }

  @Test
  void choicesAreReadInAnyCase() {
    RunConfig config =
        RunConfigLoader.parse(
            "method: SPARQ\nseeds: {file: m.jsonl, format: math}\nsandbox: {language: CPP}\n"
                + "trainer:\n  backend: Record\n  python: {data: DPO}\n",
            "test");
    assertEquals(Method.SPARQ, config.method());
    assertEquals(Language.CPP, config.sandbox().language());
    assertEquals(TrainerBackend.RECORD, config.trainer().backend());
    assertEquals(TrainingData.DPO, config.trainer().python().data());
  }

  /** A plain mapper, as Temporal's payload converter is: the strings recorded histories hold. */
  @Test
  void theSerializedFormIsTheStringsHistoriesHold() throws Exception {
    ObjectMapper plain = new ObjectMapper();
    RunConfig config = RunConfigLoader.parse("trainer:\n  backend: python\n", "test");
    JsonNode json = plain.valueToTree(config);
    assertEquals("python", json.path("sandbox").path("language").asText());
    assertEquals("python", json.path("trainer").path("backend").asText());
    assertEquals("rft", json.path("trainer").path("python").path("data").asText());
    assertEquals("rft", json.path("trainer").path("openai").path("data").asText());
    assertEquals("QUEST", json.path("method").asText(), "method has always been upper case");
    assertEquals(config, plain.treeToValue(json, RunConfig.class));
    assertEquals(
        List.of("record", "openai", "container", "python"), Enums.wireNames(TrainerBackend.class));
  }
}
