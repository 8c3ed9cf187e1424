package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;

/**
 * One candidate problem in the artifact store.
 *
 * @param invalidReason why the candidate cannot be evaluated (the generator wrote nothing, or the
 *     endpoint refused the request); null when it can
 */
public record GeneratedProblem(int candidateIndex, ArtifactRef problem, String invalidReason) {}
