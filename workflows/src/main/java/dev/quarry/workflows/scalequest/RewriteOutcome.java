package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.scalequest.QpoDirection;
import dev.quarry.workflows.TokenUsage;

/**
 * The rewritten question, or why it makes no preference pair.
 *
 * @param rewrite the rewrite in the store; null when the endpoint refused the request
 * @param unusableReason why no DPO pair is made (empty, identical, refused); null when one is
 */
public record RewriteOutcome(
    QpoDirection direction, ArtifactRef rewrite, String unusableReason, TokenUsage usage) {
  public boolean makesPair() {
    return unusableReason == null && rewrite != null;
  }
}
