package dev.quarry.activities.store;

import java.nio.file.Path;

/** Where a worker keeps its state: the artifact store, keyed records, caches. */
public record QuarryHome(Path root) {
  public Path artifacts() {
    return root.resolve("artifacts");
  }

  public Path records() {
    return root.resolve("records");
  }

  public Path llmCache() {
    return root.resolve("cache").resolve("llm");
  }

  public Path models() {
    return root.resolve("models");
  }
}
