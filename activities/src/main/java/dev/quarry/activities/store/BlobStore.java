package dev.quarry.activities.store;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the artifact store and the record store keep their bytes: a local directory ({@link
 * FileBlobStore}) or an S3 bucket ({@link S3BlobStore}) that workers on different hosts share. A
 * put replaces the whole value atomically, so a reader sees the old or the new bytes.
 */
public interface BlobStore {
  void put(String key, byte[] content) throws IOException;

  /**
   * Puts a value whose key is derived from it (content addressing): a store where a check is
   * cheaper than a write may skip the write when a value of that size is there already.
   */
  default void putContent(String key, byte[] content) throws IOException {
    put(key, content);
  }

  /** The value, or empty when nothing was put under the key. */
  Optional<byte[]> get(String key) throws IOException;

  /** Where a key lives, for error messages (a path or an s3:// URL). */
  String locate(String key);
}
