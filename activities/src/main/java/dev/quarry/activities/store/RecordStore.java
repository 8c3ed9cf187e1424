package dev.quarry.activities.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keyed records, one JSON file per key such as {@code run/round-0/prompt-3}. Writes are atomic and
 * idempotent: a retried activity rewrites the same key, never adds a second row.
 */
public final class RecordStore {
  private final Path root;

  public RecordStore(Path root) {
    this.root = root;
  }

  public void write(String key, Object value) throws IOException {
    AtomicFiles.write(pathOf(key), Json.bytes(value));
  }

  public <T> Optional<T> read(String key, Class<T> type) throws IOException {
    Path path = pathOf(key);
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    return Optional.of(Json.read(Files.readAllBytes(path), type));
  }

  private Path pathOf(String key) {
    if (key.contains("..")) {
      throw new IllegalArgumentException("record keys must not contain '..': " + key);
    }
    return root.resolve(key + ".json");
  }
}
