package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.scalequest.LanguageCheck;
import dev.quarry.workflows.TokenUsage;

/**
 * One generated question in the artifact store, with the language filter's outcome.
 *
 * @param invalidReason why there is no question to filter (empty reply, request refused); the
 *     language check is then null
 */
public record GeneratedQuestion(
    ArtifactRef question, LanguageCheck language, String invalidReason, TokenUsage usage) {}
