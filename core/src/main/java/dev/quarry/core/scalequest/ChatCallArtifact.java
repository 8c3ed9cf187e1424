package dev.quarry.core.scalequest;

import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * One stage's chat call on a question — the judge, the fail-rate solver samples, the rewriter —
 * as lineage: the prompt, every reply, the final answers read from them (for solver samples;
 * null where none), and how each reply was sampled.
 */
public record ChatCallArtifact(
    List<Message> prompt, List<String> replies, List<String> answers, List<SamplingRecord> sampling) {}
