package dev.quarry.core.sparq;

import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * The prompts of a SPARQ round. One model plays every part in the paper: it mutates a parent
 * problem into a new one and solves it (giving the reference answer), names the skills a problem
 * needs, and solves it K more times to measure its solve rate.
 */
public final class SparqPrompts {
  /** Bounds on the generator's JSON strings, so a grammar can force the reply closed. */
  public static final int MAX_PROBLEM_CHARS = 700;

  public static final int MAX_SOLUTION_CHARS = 1500;
  public static final int MAX_ANSWER_CHARS = 60;

  private SparqPrompts() {}

  public static List<Message> generator(String parentProblem) {
    return List.of(
        Message.system("You write challenging math problems and solve them."),
        Message.user(
            "Here is a math problem:\n"
                + parentProblem
                + "\n\nWrite a new, different and harder math problem inspired by it, with a single"
                + " final answer, and solve it step by step. Answer in JSON with three fields:"
                + " \"problem\" (the new problem), \"solution\" (its step-by-step solution, ending"
                + " with the final answer in \\boxed{}) and \"answer\" (the final answer alone)."));
  }

  /** JSON schema for the generator's reply. */
  public static String generatorSchema() {
    return "{\"type\":\"object\",\"properties\":{"
        + "\"problem\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":"
        + MAX_PROBLEM_CHARS
        + "},"
        + "\"solution\":{\"type\":\"string\",\"maxLength\":"
        + MAX_SOLUTION_CHARS
        + "},"
        + "\"answer\":{\"type\":\"string\",\"maxLength\":"
        + MAX_ANSWER_CHARS
        + "}},"
        + "\"required\":[\"problem\",\"solution\",\"answer\"],\"additionalProperties\":false}";
  }

  public static List<Message> solver(String problem) {
    return List.of(
        Message.system("You are an expert mathematician."),
        Message.user(
            "Solve this problem step by step, and put the final answer in \\boxed{}.\n\nProblem:\n"
                + problem));
  }

  public static List<Message> skillTagger(String problem, List<String> vocabulary, int maxSkills) {
    return List.of(
        Message.system("You classify math problems by the skills needed to solve them."),
        Message.user(
            "Problem:\n"
                + problem
                + "\n\nName the 1 to "
                + maxSkills
                + " most important skills needed to solve it, most important first, chosen from: "
                + String.join(", ", vocabulary)
                + ". Answer in JSON: {\"skills\": [\"...\"]}."));
  }

  /** JSON schema for the skill tagger: skills only from the vocabulary, 1 to maxSkills of them. */
  public static String skillTaggerSchema(List<String> vocabulary, int maxSkills) {
    StringBuilder choices = new StringBuilder();
    for (String skill : vocabulary) {
      if (choices.length() > 0) {
        choices.append(',');
      }
      choices.append('"').append(skill.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return "{\"type\":\"object\",\"properties\":{\"skills\":{\"type\":\"array\",\"items\":{\"type\":\"string\","
        + "\"enum\":["
        + choices
        + "]},\"minItems\":1,\"maxItems\":"
        + maxSkills
        + "}},\"required\":[\"skills\"],\"additionalProperties\":false}";
  }
}
