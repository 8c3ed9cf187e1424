package dev.quarry.core.scalequest;

import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * One stage's chat call on a question — the judge, the fail-rate solver samples, the rewriter — as
 * lineage: the prompt, every reply that exists, the final answers read from them (for solver
 * samples; null where none), how each reply was sampled, and one reason per reply asked for but not
 * returned ({@code missing}; empty in artifacts written before it was kept).
 */
public record ChatCallArtifact(
    List<Message> prompt,
    List<String> replies,
    List<String> answers,
    List<SamplingRecord> sampling,
    List<String> missing) {
  public ChatCallArtifact {
    missing = missing == null ? List.of() : List.copyOf(missing);
  }

  public ChatCallArtifact(
      List<Message> prompt,
      List<String> replies,
      List<String> answers,
      List<SamplingRecord> sampling) {
    this(prompt, replies, answers, sampling, List.of());
  }
}
