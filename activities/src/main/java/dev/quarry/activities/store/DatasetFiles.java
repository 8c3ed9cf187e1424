package dev.quarry.activities.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's dataset files go (round-N.jsonl, candidates, RFT, DPO, dropped rows, the concept
 * mapping). A run names them by path, {@code outputDir/RUN/FILE}, and that name is what workflows
 * pass around, on every store the same. Locally the path is the file; with a shared blob store (S3,
 * for workers that share no filesystem) the file is the object {@code datasets/RUN/FILE}, and
 * `quarry run export` reads it from there.
 */
public final class DatasetFiles {
  private final BlobStore blobs;

  private DatasetFiles(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** The files themselves, on this machine's filesystem. */
  public static DatasetFiles local() {
    return new DatasetFiles(null);
  }

  /** The files as objects of a shared blob store. */
  public static DatasetFiles in(BlobStore blobs) {
    return new DatasetFiles(blobs);
  }

  public void write(Path file, byte[] content) throws IOException {
    if (blobs == null) {
      AtomicFiles.write(file, content);
    } else {
      blobs.put(keyOf(file), content);
    }
  }

  /** The file's content, or empty if it was not written. */
  public Optional<byte[]> read(Path file) throws IOException {
    if (blobs != null) {
      return blobs.get(keyOf(file));
    }
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  public String locate(Path file) {
    return blobs == null ? file.toString() : blobs.locate(keyOf(file));
  }

  /** datasets/RUN/FILE: a run's folder name and the file's name; outputDir is per machine. */
  static String keyOf(Path file) {
    Path run = file.getParent();
    if (run == null || run.getFileName() == null) {
      throw new IllegalArgumentException("a dataset file lies in a run's folder: " + file);
    }
    return "datasets/" + run.getFileName() + "/" + file.getFileName();
  }
}
