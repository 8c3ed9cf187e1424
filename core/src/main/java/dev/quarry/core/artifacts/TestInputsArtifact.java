package dev.quarry.core.artifacts;

import java.util.List;

/** The test inputs written for a candidate, and the raw reply they were parsed from. */
public record TestInputsArtifact(List<String> inputs, String rawReply, SamplingRecord sampling) {}
