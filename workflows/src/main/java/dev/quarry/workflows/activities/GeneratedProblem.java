package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;

/**
 * One candidate problem in the artifact store.
 *
 * @param empty true when the generator wrote nothing usable; the candidate is then invalid
 */
public record GeneratedProblem(int candidateIndex, ArtifactRef problem, boolean empty) {}
