package dev.quarry.core.prompts;

import dev.quarry.core.sandbox.Language;
import dev.quarry.core.seeds.SeedProblem;
import java.util.List;

/**
 * The prompts of a QueST round. Kept short: small local models lose the thread in long prompts, and
 * every token costs on a hosted API.
 */
public final class PromptTemplates {
  /** Few-shot statements are cut here so one long seed cannot crowd out the instruction. */
  private static final int MAX_EXAMPLE_CHARS = 1200;

  private PromptTemplates() {}

  public static List<Message> generator(List<String> concepts, List<SeedProblem> examples) {
    StringBuilder user = new StringBuilder();
    user.append("Write a new, original and difficult competitive programming problem that combines")
        .append(" these concepts: ")
        .append(String.join(", ", concepts))
        .append(".\n\n");
    for (SeedProblem example : examples) {
      user.append("Example of the expected style:\n")
          .append(cut(example.statement(), MAX_EXAMPLE_CHARS))
          .append("\n\n");
    }
    user.append(
        "Write only the new problem: a title, the statement, an Input section, an Output section"
            + " and the constraints. The program reads standard input and writes standard output.");
    return List.of(
        Message.system("You are an expert setter of competitive programming problems."),
        Message.user(user.toString()));
  }

  public static List<Message> testWriter(String problem, int count) {
    return List.of(
        Message.system("You write test inputs for competitive programming problems."),
        Message.user(
            "Problem:\n"
                + problem
                + "\n\nWrite "
                + count
                + " different valid test inputs for this problem, exactly as the program would"
                + " read them from standard input. Answer in JSON: {\"inputs\": [\"...\"]}."));
  }

  /**
   * The longest test input the test writer may write inline. Bounding strings lets a grammar force
   * the JSON closed, so a small model cannot ramble past max_tokens mid-string.
   */
  public static final int MAX_INPUT_CHARS = 300;

  /** JSON schema for the test writer's answer; servers that support it constrain decoding. */
  public static String testInputsSchema(int count) {
    return "{\"type\":\"object\",\"properties\":{\"inputs\":{\"type\":\"array\","
        + "\"items\":{\"type\":\"string\",\"maxLength\":"
        + MAX_INPUT_CHARS
        + "},\"minItems\":"
        + count
        + ",\"maxItems\":"
        + count
        + "}},\"required\":[\"inputs\"],\"additionalProperties\":false}";
  }

  public static List<Message> solver(String problem) {
    return solver(problem, Language.PYTHON);
  }

  /** The solver prompt for programs in {@code language}, the run's sandbox language. */
  public static List<Message> solver(String problem, Language language) {
    boolean cpp = language == Language.CPP;
    String name = cpp ? "C++17" : "Python 3";
    String fence = cpp ? "cpp" : "python";
    return List.of(
        Message.system("You are an expert competitive programmer."),
        Message.user(
            "Solve this problem in "
                + name
                + ". Read from standard input and write to standard"
                + " output. Put the complete program in one ```"
                + fence
                + " code block.\n\nProblem:\n"
                + problem));
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "\n[...]";
  }
}
