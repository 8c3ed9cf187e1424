package dev.quarry.core.seeds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a JSONL seed file line by line: malformed lines are skipped and reported by line number,
 * never fatal; a file with no usable line is.
 */
abstract class JsonlSeedReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Turns one parsed line into a seed; throws IllegalArgumentException saying what is wrong. */
  protected abstract SeedProblem parse(JsonNode row, int lineNumber);

  public SeedSet load(Path file) {
    List<SeedProblem> problems = new ArrayList<>();
    List<SkippedLine> skipped = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          problems.add(parse(MAPPER.readTree(line), lineNumber));
        } catch (IOException e) {
          skipped.add(new SkippedLine(lineNumber, "not valid JSON: " + firstLine(e.getMessage())));
        } catch (IllegalArgumentException e) {
          skipped.add(new SkippedLine(lineNumber, e.getMessage()));
        }
      }
    } catch (NoSuchFileException e) {
      throw new SeedFileException(
          "seed file not found: "
              + file
              + " (set seedsFile in the run config to an existing file)");
    } catch (IOException e) {
      throw new SeedFileException("cannot read seed file " + file + ": " + e.getMessage(), e);
    }
    if (problems.isEmpty()) {
      throw new SeedFileException(
          "seed file "
              + file
              + " has no usable problem"
              + (skipped.isEmpty() ? "" : "; first problem: " + skipped.get(0)));
    }
    return new SeedSet(file.toString(), problems, skipped);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  protected static String requiredText(JsonNode row, String field) {
    JsonNode node = row.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException(
          "field '" + field + "' is missing or not a non-empty string");
    }
    return node.asText();
  }

  /** Normalises a concept name: lower case, single spaces, trimmed. */
  protected static String normaliseConcept(String concept) {
    return concept.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", " ");
  }
}
