package dev.quarry.activities.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import dev.quarry.core.dedup.NgramDecontaminator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads benchmark files into an n-gram index, once per worker for the same files (by path, size and
 * modification time) and n. JSONL files (.jsonl, .ndjson): every string anywhere in a row is a
 * benchmark text (question, prompt, solution, tests: decontamination errs on the side of dropping).
 * Any other file is one text.
 */
public final class BenchmarkTexts {
  private record Key(List<String> files, int n) {}

  private final Map<Key, NgramDecontaminator> cache = new ConcurrentHashMap<>();

  /**
   * @throws NoSuchFileException naming the missing benchmark file
   */
  public NgramDecontaminator index(List<String> files, int n) throws IOException {
    StringBuilder identity = new StringBuilder();
    for (String file : files) {
      Path path = Path.of(file).toAbsolutePath().normalize();
      if (!Files.exists(path)) {
        throw new NoSuchFileException(
            path.toString(),
            null,
            "benchmark file for decontamination.files not found on this worker");
      }
      identity
          .append(path)
          .append('\u0000')
          .append(Files.size(path))
          .append('\u0000')
          .append(Files.getLastModifiedTime(path).toMillis())
          .append('\n');
    }
    Key key = new Key(List.of(identity.toString()), n);
    NgramDecontaminator cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    NgramDecontaminator index = new NgramDecontaminator(n);
    for (String file : files) {
      load(Path.of(file).toAbsolutePath().normalize(), index);
    }
    cache.put(key, index);
    return index;
  }

  static void load(Path path, NgramDecontaminator index) throws IOException {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".jsonl") && !name.endsWith(".ndjson")) {
      index.addBenchmark(
          Files.readString(path), new NgramDecontaminator.Source(path.getFileName().toString()));
      return;
    }
    try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = Json.MAPPER.readTree(line);
        } catch (IOException e) {
          throw new IOException(
              "benchmark file " + path + " line " + number + " is not valid JSON", e);
        }
        addStrings(row, index, new NgramDecontaminator.Source(path.getFileName() + ":" + number));
      }
    }
  }

  private static void addStrings(
      JsonNode node, NgramDecontaminator index, NgramDecontaminator.Source source) {
    if (node.isTextual()) {
      index.addBenchmark(node.asText(), source);
    } else if (node.isContainerNode()) {
      node.forEach(child -> addStrings(child, index, source));
    }
  }
}
