package dev.quarry.activities.support;

import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.core.artifacts.ArtifactRef;
import java.io.IOException;

/**
 * The artifact store as an activity uses it: a read or write that fails is an infrastructure
 * failure, which Temporal retries (a full disk or a lost mount heals; the round must not lose the
 * LLM answer it is storing).
 */
public final class ActivityArtifacts {
  private final FileArtifactStore store;

  public ActivityArtifacts(FileArtifactStore store) {
    this.store = store;
  }

  public ArtifactRef put(Object value) {
    try {
      return store.putJson(value);
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
  }

  public <T> T get(ArtifactRef ref, Class<T> type) {
    try {
      return store.getJson(ref, type);
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
  }
}
