package dev.quarry.core.artifacts;

import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * A math problem with its reference answer: a generated one with the prompt, raw reply and solution
 * that produced it, or a seed (prompt, reply, solution and sampling null).
 */
public record MathProblemArtifact(
    List<Message> prompt,
    String problem,
    String solution,
    String referenceAnswer,
    String rawReply,
    SamplingRecord sampling,
    String generatorVersion) {

  public static MathProblemArtifact seed(String problem, String referenceAnswer) {
    return new MathProblemArtifact(null, problem, null, referenceAnswer, null, null, null);
  }
}
