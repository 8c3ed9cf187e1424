package dev.quarry.activities.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Blobs as files under a root directory, one per key (the key is a relative path). */
public final class FileBlobStore implements BlobStore {
  private final Path root;

  public FileBlobStore(Path root) {
    this.root = root;
  }

  @Override
  public void put(String key, byte[] content) throws IOException {
    AtomicFiles.write(pathOf(key), content);
  }

  /** A file of the right size is the content already: skip the write and its fsync. */
  @Override
  public void putContent(String key, byte[] content) throws IOException {
    Path path = pathOf(key);
    if (!Files.exists(path) || Files.size(path) != content.length) {
      AtomicFiles.write(path, content);
    }
  }

  @Override
  public Optional<byte[]> get(String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(pathOf(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public String locate(String key) {
    return pathOf(key).toString();
  }

  private Path pathOf(String key) {
    if (key.contains("..")) {
      throw new IllegalArgumentException("blob keys must not contain '..': " + key);
    }
    return root.resolve(key);
  }
}
