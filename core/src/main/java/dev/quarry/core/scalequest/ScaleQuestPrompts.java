package dev.quarry.core.scalequest;

import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * The chat prompts of a ScaleQuest round (the question generator itself gets a raw prefix from the
 * run config, not a chat). Short on purpose: small local models lose the thread in long prompts,
 * and every token costs on a hosted API.
 */
public final class ScaleQuestPrompts {
  /** The solver's system prompt, as Qwen2-Math-style solvers are prompted. */
  public static final String SOLVER_SYSTEM =
      "Please reason step by step, and put your final answer within \\boxed{}.";

  /** The reward judge's reply: one integer score. Bounds are checked by {@link RewardScore}. */
  public static final String REWARD_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"score\":{\"type\":\"integer\"}},"
          + "\"required\":[\"score\"],\"additionalProperties\":false}";

  /** The reward judge scores on 0..REWARD_MAX. */
  public static final double REWARD_MAX = 10;

  private ScaleQuestPrompts() {}

  public static List<Message> judge(String question) {
    return List.of(
        Message.system("You check whether math questions can be solved."),
        Message.user(
            "Question:\n"
                + question
                + "\n\nIs this question complete, consistent and answerable with one definite"
                + " answer? Think briefly, then end with the line 'Verdict: solvable' or"
                + " 'Verdict: unsolvable'."));
  }

  public static List<Message> solver(String question) {
    return List.of(Message.system(SOLVER_SYSTEM), Message.user(question));
  }

  public static List<Message> reward(String question, String response) {
    return List.of(
        Message.system("You are a reward model for math solutions."),
        Message.user(
            "Question:\n"
                + question
                + "\n\nResponse:\n"
                + response
                + "\n\nScore the response's correctness and reasoning from 0 (wrong) to 10"
                + " (correct and clear). Answer in JSON: {\"score\": n}."));
  }

  public static List<Message> rewrite(String question, QpoDirection direction) {
    String goal =
        switch (direction) {
          case SOLVABILITY ->
              "Make it solvable: fix missing or contradictory conditions so that it has exactly"
                  + " one definite answer, and keep its topic.";
          case DIFFICULTY ->
              "Make it harder: require more reasoning steps or a deeper idea, while keeping it"
                  + " solvable with one definite answer.";
        };
    return List.of(
        Message.system("You improve math questions."),
        Message.user(
            "Question:\n"
                + question
                + "\n\n"
                + goal
                + " Write only the improved question, no solution."));
  }
}
