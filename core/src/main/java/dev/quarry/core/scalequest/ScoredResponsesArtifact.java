package dev.quarry.core.scalequest;

import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * N responses to a question and what the reward model said of each.
 *
 * @param rewardReplies the reward model's raw reply per response
 * @param scores the score read from each reply; null where none was usable
 */
public record ScoredResponsesArtifact(
    List<Message> prompt,
    List<String> responses,
    List<SamplingRecord> sampling,
    List<String> rewardReplies,
    List<Double> scores,
    SamplingRecord rewardSampling) {}
