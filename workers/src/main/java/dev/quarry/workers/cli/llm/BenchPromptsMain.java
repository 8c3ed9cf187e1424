package dev.quarry.workers.cli.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.prompts.PromptTemplates;
import java.util.List;

/**
 * {@code BenchPromptsMain}: prints QueST's three chat prompts (generator, test writer, solver) as
 * JSON, with {@value #CONCEPT} and {@value #PROBLEM} where a concept and a problem go, so the
 * pipeline benchmark's distilabel side (bench/distilabel_quest.py) sends the same requests as
 * Quarry and the scripted server answers them the same way (it tells the role by the system
 * message). Reads the templates from {@link PromptTemplates}, so it follows them when they change.
 */
public final class BenchPromptsMain {
  static final String CONCEPT = "@@CONCEPT@@";
  static final String PROBLEM = "@@PROBLEM@@";

  private BenchPromptsMain() {}

  public static void main(String[] args) throws Exception {
    int tests = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.set("generator", messages(json, PromptTemplates.generator(List.of(CONCEPT), List.of())));
    out.set("testWriter", messages(json, PromptTemplates.testWriter(PROBLEM, tests)));
    out.set("solver", messages(json, PromptTemplates.solver(PROBLEM)));
    System.out.println(json.writeValueAsString(out));
  }

  private static ArrayNode messages(ObjectMapper json, List<Message> messages) {
    ArrayNode array = json.createArrayNode();
    for (Message m : messages) {
      array.addObject().put("role", m.role()).put("content", m.content());
    }
    return array;
  }
}
