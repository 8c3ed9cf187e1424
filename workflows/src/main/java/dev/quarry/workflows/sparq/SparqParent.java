package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.sparq.Niche;

/** The archive problem a prompt mutates. */
public record SparqParent(int promptIndex, String parentId, Niche niche, ArtifactRef problem) {}
