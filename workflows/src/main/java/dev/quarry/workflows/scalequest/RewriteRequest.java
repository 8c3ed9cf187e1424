package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.scalequest.QpoDirection;

/**
 * QPO: rewrite a question towards solvability or difficulty. The rewrite must pass the same
 * language filter as the question to make a preference pair.
 */
public record RewriteRequest(
    String key,
    ArtifactRef question,
    RoleConfig rewriter,
    QpoDirection direction,
    long seed,
    double minLatinShare,
    double minEnglishWordShare) {}
