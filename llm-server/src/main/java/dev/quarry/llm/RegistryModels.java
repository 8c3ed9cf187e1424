package dev.quarry.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrained generator versions in the model registry, served by the embedded server when a
 * request names one: {@code registry/RUN/vN} is {@code MODELS/registry/RUN/vN/model.gguf}, as the
 * Python trainer writes it. At most one such model is loaded at a time, next to the server's
 * default model; a request for another swaps it.
 *
 * <p>Turns: two java-llama.cpp models must not generate at the same time (see {@link LlamaEngine}),
 * so the default model's requests take a shared turn (they still run together on its slots, as
 * before) and a registry model's request an exclusive one, during which it may also load or swap
 * the model. A server without registry requests behaves exactly as before.
 */
final class RegistryModels implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryModels.class);
  static final String PREFIX = "registry/";
  private static final Pattern NAME = Pattern.compile("registry/([A-Za-z0-9._-]+)/(v[0-9]+)");

  private final Path modelsDir;
  private final LlamaEngine.Options template;
  private final ReentrantReadWriteLock turns = new ReentrantReadWriteLock(true);
  private String loadedName;
  private LlamaEngine loaded;

  /**
   * @param modelsDir the directory holding {@code registry/}
   * @param template how to load a registry model (context and threads; the model path is replaced,
   *     one slot)
   */
  RegistryModels(Path modelsDir, LlamaEngine.Options template) {
    this.modelsDir = modelsDir;
    this.template = template;
  }

  /** Whether {@code model} is a registry name (whether or not its file exists). */
  static boolean isRegistryName(String model) {
    return model != null && model.startsWith(PREFIX);
  }

  /** The GGUF of a registry name, or null when the name is malformed or the file is missing. */
  Path file(String model) {
    var m = NAME.matcher(model);
    if (!m.matches() || m.group(1).equals(".") || m.group(1).equals("..")) {
      return null;
    }
    Path file =
        modelsDir.resolve("registry").resolve(m.group(1)).resolve(m.group(2)).resolve("model.gguf");
    return Files.isRegularFile(file) ? file : null;
  }

  /** Registry names whose model file exists, sorted. */
  List<String> available() {
    List<String> names = new ArrayList<>();
    Path registry = modelsDir.resolve("registry");
    if (!Files.isDirectory(registry)) {
      return names;
    }
    try (Stream<Path> runs = Files.list(registry)) {
      for (Path run : runs.sorted().toList()) {
        if (!Files.isDirectory(run)) {
          continue;
        }
        try (Stream<Path> versions = Files.list(run)) {
          for (Path version : versions.sorted().toList()) {
            String name = PREFIX + run.getFileName() + "/" + version.getFileName();
            if (file(name) != null) {
              names.add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      log.warn("cannot list the model registry {}: {}", registry, e.toString());
    }
    return names;
  }

  /** A shared turn for the default model's requests. */
  ReentrantReadWriteLock.ReadLock defaultTurn() {
    return turns.readLock();
  }

  /**
   * Runs {@code work} with the engine of {@code file}, loaded (or swapped in) if needed,
   * exclusively.
   */
  <T> T withModel(String name, Path file, EngineWork<T> work) throws IOException {
    turns.writeLock().lock();
    try {
      if (!name.equals(loadedName)) {
        if (loaded != null) {
          log.info("unloading {}", loadedName);
          loaded.close();
          loaded = null;
          loadedName = null;
        }
        log.info("loading {} from {}", name, file);
        loaded =
            LlamaEngine.load(
                new LlamaEngine.Options(
                    file,
                    name,
                    template.contextSize(),
                    template.threads(),
                    template.nativeLogs(),
                    1));
        loadedName = name;
      }
      return work.run(loaded);
    } finally {
      turns.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    turns.writeLock().lock();
    try {
      if (loaded != null) {
        loaded.close();
        loaded = null;
        loadedName = null;
      }
    } finally {
      turns.writeLock().unlock();
    }
  }

  interface EngineWork<T> {
    T run(LlamaEngine engine) throws IOException;
  }
}
