package dev.quarry.activities.store;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.ArtifactStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content-addressed store: content lives under the key {@code ab/abcdef…} (its sha256) of a blob
 * store, by default files under a directory, or an S3 bucket ({@link S3BlobStore}) where workers
 * share no filesystem. A retried write rewrites the same bytes under the same key, and a reference
 * can never point at changed content.
 */
public final class FileArtifactStore implements ArtifactStore {
  private final BlobStore blobs;

  public FileArtifactStore(Path root) {
    this(new FileBlobStore(root));
  }

  public FileArtifactStore(BlobStore blobs) {
    this.blobs = blobs;
  }

  @Override
  public ArtifactRef put(byte[] content) throws IOException {
    String digest = sha256(content);
    blobs.putContent(keyOf(digest), content);
    return new ArtifactRef(digest, content.length);
  }

  @Override
  public byte[] get(ArtifactRef ref) throws IOException {
    return blobs
        .get(keyOf(ref.sha256()))
        .orElseThrow(
            () ->
                new NoSuchFileException(
                    "artifact "
                        + ref.sha256()
                        + " is not in the store at "
                        + blobs.locate(keyOf(ref.sha256()))
                        + " (was the store moved, or does this worker use another QUARRY_HOME or S3 bucket?)"));
  }

  public <T> ArtifactRef putJson(T value) throws IOException {
    return put(Json.bytes(value));
  }

  public <T> T getJson(ArtifactRef ref, Class<T> type) throws IOException {
    return Json.read(get(ref), type);
  }

  private static String keyOf(String digest) {
    return digest.substring(0, 2) + "/" + digest;
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
