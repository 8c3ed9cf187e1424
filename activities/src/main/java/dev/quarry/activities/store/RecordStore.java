package dev.quarry.activities.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keyed records, one JSON value per key such as {@code run/round-0/prompt-3}, in a blob store
 * (files under a directory, or an S3 bucket). Writes are atomic and idempotent: a retried activity
 * rewrites the same key, never adds a second row.
 */
public final class RecordStore {
  private final BlobStore blobs;

  public RecordStore(Path root) {
    this(new FileBlobStore(root));
  }

  public RecordStore(BlobStore blobs) {
    this.blobs = blobs;
  }

  public void write(String key, Object value) throws IOException {
    blobs.put(keyOf(key), Json.bytes(value));
  }

  public <T> Optional<T> read(String key, Class<T> type) throws IOException {
    Optional<byte[]> bytes = blobs.get(keyOf(key));
    return bytes.isEmpty() ? Optional.empty() : Optional.of(Json.read(bytes.get(), type));
  }

  private static String keyOf(String key) {
    if (key.contains("..")) {
      throw new IllegalArgumentException("record keys must not contain '..': " + key);
    }
    return key + ".json";
  }
}
