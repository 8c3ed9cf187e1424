package dev.quarry.core.artifacts;

import java.io.IOException;

/** Content-addressed storage for problem texts, rollouts and outputs. */
public interface ArtifactStore {
  /** Stores content atomically; storing the same bytes twice is a no-op with the same ref. */
  ArtifactRef put(byte[] content) throws IOException;

  byte[] get(ArtifactRef ref) throws IOException;
}
