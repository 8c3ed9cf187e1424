package dev.quarry.core.scalequest;

import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * N responses to a question and what the reward model said of each.
 *
 * @param rewardReplies the reward model's raw reply per response
 * @param scores the score read from each reply; null where none was usable
 * @param missing one reason per response asked for but never returned (empty in artifacts written
 *     before it was kept)
 */
public record ScoredResponsesArtifact(
    List<Message> prompt,
    List<String> responses,
    List<SamplingRecord> sampling,
    List<String> rewardReplies,
    List<Double> scores,
    SamplingRecord rewardSampling,
    List<String> missing) {
  public ScoredResponsesArtifact {
    missing = missing == null ? List.of() : List.copyOf(missing);
  }

  public ScoredResponsesArtifact(
      List<Message> prompt,
      List<String> responses,
      List<SamplingRecord> sampling,
      List<String> rewardReplies,
      List<Double> scores,
      SamplingRecord rewardSampling) {
    this(prompt, responses, sampling, rewardReplies, scores, rewardSampling, List.of());
  }
}
