package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.prompts.PromptTemplates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answers of the scripted benchmark server: instant, well-formed and deterministic per request,
 * so a benchmark measures Quarry's orchestration and not a model.
 *
 * <p>The role is told by the request's system message, compared with the one {@link
 * PromptTemplates} writes, so the script follows the templates when they change:
 *
 * <ul>
 *   <li>generator: an "add two integers" problem statement, numbered by the request;
 *   <li>test writer (or any json_schema request with an {@code inputs} array): {@code count}
 *       distinct lines of two integers;
 *   <li>solver: a ```python block that prints the sum; one rollout in four (chosen by the request's
 *       seed and the choice index) prints the difference instead, so candidates get a spread of
 *       difficulty scores rather than all δ = 0;
 *   <li>the math methods' roles (SPARQ, ScaleQuest): see {@link ScriptedMathReplies};
 *   <li>anything else: an echo of the last user message (or, for a json_schema request, the
 *       smallest object the schema's required fields allow).
 * </ul>
 */
final class ScriptedReplies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GENERATOR_SYSTEM =
      systemOf(PromptTemplates.generator(List.of(), List.of()));
  private static final String TEST_WRITER_SYSTEM = systemOf(PromptTemplates.testWriter("", 1));
  private static final String SOLVER_SYSTEM = systemOf(PromptTemplates.solver(""));

  static final String CORRECT_PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n";
  static final String WRONG_PROGRAM = "a, b = map(int, input().split())\nprint(a - b)\n";

  /** One reply: the choices' texts and the token counts reported as usage. */
  record Reply(List<String> choices, int promptTokens, int completionTokens) {}

  private ScriptedReplies() {}

  static Reply answer(OpenAiRequests.ChatCall call) {
    return answer(call, false);
  }

  /**
   * @param mixed solvers of per-problem difficulty ({@link MixedDifficulty})
   */
  static Reply answer(OpenAiRequests.ChatCall call, boolean mixed) {
    long seed = call.params().seed() == null ? 0 : call.params().seed();
    // The request's own content takes part, so two requests that differ only in prompt differ.
    long key = mix(seed, call.messages().hashCode());
    String system = "";
    String lastUser = "";
    int promptChars = 0;
    for (Map.Entry<String, String> message : call.messages()) {
      promptChars += message.getValue().length();
      if (message.getKey().equals("system") || message.getKey().equals("developer")) {
        system = message.getValue();
      } else if (message.getKey().equals("user")) {
        lastUser = message.getValue();
      }
    }
    int n = call.params().n();
    List<String> choices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      choices.add(choice(call.format(), system, lastUser, key, seed, i, mixed));
    }
    int completionChars = choices.stream().mapToInt(String::length).sum();
    return new Reply(choices, tokens(promptChars), tokens(completionChars));
  }

  private static String choice(
      OpenAiRequests.Format format,
      String system,
      String lastUser,
      long key,
      long seed,
      int index,
      boolean mixed) {
    JsonNode schemaNode = format instanceof OpenAiRequests.Format.JsonSchema s ? s.schema() : null;
    var math = ScriptedMathReplies.chat(system, lastUser, key, seed, index, schemaNode, mixed);
    if (math.isPresent()) {
      return math.get();
    }
    if (format instanceof OpenAiRequests.Format.JsonSchema schema) {
      return jsonFor(schema.schema(), mix(key, index));
    }
    if (system.equals(GENERATOR_SYSTEM)) {
      return problem(Math.floorMod(mix(key, index), 1_000_000));
    }
    if (system.equals(SOLVER_SYSTEM)) {
      // By seed and index only: the same rollout of the same candidate is always the same program.
      boolean wrong =
          mixed
              ? !MixedDifficulty.right(lastUser, seed, index)
              : Math.floorMod(mix(seed, index), 4) == 0;
      String prose = mixed ? MixedDifficulty.reasoning() : "";
      return prose
          + "Add the two numbers.\n\n```python\n"
          + (wrong ? WRONG_PROGRAM : CORRECT_PROGRAM)
          + "```\n";
    }
    if (system.equals(TEST_WRITER_SYSTEM)) {
      return jsonFor(inputsSchema(), mix(key, index));
    }
    return lastUser;
  }

  static String problem(long number) {
    // A story worded by the number, so the run's near-duplicate filter sees different problems
    // (it compares word shingles; a bare number change would make every problem a duplicate).
    return "Sum "
        + number
        + "\n\n"
        + ScriptedMathReplies.story(number)
        + " Read two integers a and b from one line and print a + b.\n\n"
        + "Input: one line with two integers a and b (-10^9 <= a, b <= 10^9).\n"
        + "Output: one integer, a + b.";
  }

  /** The test writer's answer for a schema, or the smallest object its required fields allow. */
  private static String jsonFor(JsonNode schema, long key) {
    int count = schema.path("properties").path("inputs").path("minItems").asInt(-1);
    if (count >= 0 || schema.path("properties").has("inputs")) {
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode inputs = answer.putArray("inputs");
      for (int i = 0; i < Math.max(count, 1); i++) {
        long a = Math.floorMod(mix(key, 2L * i), 2001) - 1000;
        long b = Math.floorMod(mix(key, 2L * i + 1), 2001) - 1000;
        // The index keeps inputs distinct even if two pairs collide.
        inputs.add(a + " " + (b * 10 + i % 10));
      }
      return answer.toString();
    }
    return minimal(schema).toString();
  }

  private static JsonNode inputsSchema() {
    try {
      return JSON.readTree(PromptTemplates.testInputsSchema(3));
    } catch (IOException e) {
      throw new IllegalStateException("PromptTemplates.testInputsSchema is not JSON", e);
    }
  }

  private static JsonNode minimal(JsonNode schema) {
    switch (schema.path("type").asText("object")) {
      case "string":
        return JSON.getNodeFactory().textNode("x");
      case "integer":
      case "number":
        return JSON.getNodeFactory().numberNode(0);
      case "boolean":
        return JSON.getNodeFactory().booleanNode(false);
      case "array":
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < schema.path("minItems").asInt(0); i++) {
          array.add(minimal(schema.path("items")));
        }
        return array;
      default:
        ObjectNode object = JSON.createObjectNode();
        for (JsonNode name : schema.path("required")) {
          object.set(name.asText(), minimal(schema.path("properties").path(name.asText())));
        }
        return object;
    }
  }

  /** A raw-prefix completion (ScaleQuest's question generator): one question per choice. */
  static Reply complete(OpenAiRequests.CompletionCall call) {
    long seed = call.params().seed() == null ? 0 : call.params().seed();
    long key = mix(seed, call.prompt().hashCode());
    int n = call.params().n();
    List<String> choices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      choices.add(ScriptedMathReplies.question(mix(key, i)));
    }
    int completionChars = choices.stream().mapToInt(String::length).sum();
    return new Reply(choices, tokens(call.prompt().length()), tokens(completionChars));
  }

  /** Roughly four characters a token, at least one: what usage needs to be plausible. */
  static int tokens(int chars) {
    return Math.max(1, (chars + 3) / 4);
  }

  /** SplitMix64's finaliser over a combination: a well-spread, stable hash of (a, b). */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The system message a prompt builder writes: how the script tells one role from another. */
  static String systemOf(List<Message> messages) {
    return messages.stream()
        .filter(m -> m.role().equals("system"))
        .map(Message::content)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("a prompt builder wrote no system message"));
  }
}
