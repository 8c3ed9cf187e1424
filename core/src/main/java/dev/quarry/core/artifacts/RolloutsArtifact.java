package dev.quarry.core.artifacts;

import java.util.List;

/** M solver rollouts of one candidate: the programs and the replies they were taken from. */
public record RolloutsArtifact(
    List<String> programs, List<String> rawReplies, List<SamplingRecord> sampling) {}
