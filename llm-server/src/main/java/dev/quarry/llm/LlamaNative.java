package dev.quarry.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process-wide setup of the java-llama.cpp native library, done before its first use.
 *
 * <p>By default the binding extracts {@code libjllama.so} to {@code java.io.tmpdir} under a fixed
 * name and first deletes files there whose names look like old copies. Two JVMs on one machine (a
 * worker and a test run, say) would then overwrite a library the other has mapped. Each process
 * therefore gets a private extraction directory ({@code de.kherud.llama.tmpdir}), unless the
 * operator set one, or set {@code de.kherud.llama.lib.path} to a directory holding the library.
 */
final class LlamaNative {
  static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";
  static final String LIB_PATH_PROPERTY = "de.kherud.llama.lib.path";
  static final String LIBRARY_FILE = "libjllama.so";

  private static Path extractionDir;

  private LlamaNative() {}

  /** Idempotent; call before touching any de.kherud.llama class. */
  static synchronized void prepare() {
    if (extractionDir != null) {
      return;
    }
    String configured = System.getProperty(TMPDIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      extractionDir = Path.of(configured);
      return;
    }
    try {
      Path dir = Files.createTempDirectory("quarry-jllama-");
      dir.toFile().deleteOnExit();
      dir.resolve(LIBRARY_FILE).toFile().deleteOnExit();
      System.setProperty(TMPDIR_PROPERTY, dir.toString());
      extractionDir = dir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a directory for the llama.cpp native library", e);
    }
  }

  /** A directory holding an already loaded copy of the library, for child processes to reuse. */
  static synchronized Path loadedLibraryDir() {
    String libPath = System.getProperty(LIB_PATH_PROPERTY);
    if (libPath != null && !libPath.isBlank() && Files.isDirectory(Path.of(libPath))) {
      return Path.of(libPath);
    }
    if (extractionDir != null && Files.isRegularFile(extractionDir.resolve(LIBRARY_FILE))) {
      return extractionDir;
    }
    return null;
  }
}
