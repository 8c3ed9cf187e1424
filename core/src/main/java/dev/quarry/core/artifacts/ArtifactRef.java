package dev.quarry.core.artifacts;

/**
 * A pointer to content in the artifact store. Workflows pass these, never the content, so histories
 * stay small and no payload nears Temporal's 2 MB limit.
 *
 * @param sha256 hex digest of the content: the same content always has the same reference
 */
public record ArtifactRef(String sha256, long size) {
  public ArtifactRef {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a sha256 hex digest: " + sha256);
    }
  }
}
