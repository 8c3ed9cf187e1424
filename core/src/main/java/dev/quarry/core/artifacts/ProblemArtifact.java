package dev.quarry.core.artifacts;

import dev.quarry.core.prompts.Message;
import java.util.List;

/** A candidate problem as the generator wrote it, with the prompt that produced it. */
public record ProblemArtifact(
    List<Message> prompt, String statement, SamplingRecord sampling, String generatorVersion) {}
