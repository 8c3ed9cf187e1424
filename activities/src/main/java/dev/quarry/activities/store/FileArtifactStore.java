package dev.quarry.activities.store;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content-addressed store on a filesystem: content lives at {@code root/ab/abcdef…} by its
 * sha256, so a retried write is a no-op and a reference can never point at changed content.
 */
public final class FileArtifactStore implements ArtifactStore {
  private final Path root;

  public FileArtifactStore(Path root) {
    this.root = root;
  }

  @Override
  public ArtifactRef put(byte[] content) throws IOException {
    String digest = sha256(content);
    Path path = pathOf(digest);
    if (!Files.exists(path) || Files.size(path) != content.length) {
      AtomicFiles.write(path, content);
    }
    return new ArtifactRef(digest, content.length);
  }

  @Override
  public byte[] get(ArtifactRef ref) throws IOException {
    try {
      return Files.readAllBytes(pathOf(ref.sha256()));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          "artifact " + ref.sha256() + " is not in the store at " + root
              + " (was the store moved, or does this worker use another QUARRY_HOME?)");
    }
  }

  public <T> ArtifactRef putJson(T value) throws IOException {
    return put(Json.bytes(value));
  }

  public <T> T getJson(ArtifactRef ref, Class<T> type) throws IOException {
    return Json.read(get(ref), type);
  }

  private Path pathOf(String digest) {
    return root.resolve(digest.substring(0, 2)).resolve(digest);
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
