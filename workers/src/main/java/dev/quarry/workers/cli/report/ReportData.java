package dev.quarry.workers.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a report shows: the run's rounds as the workflow reported them (a completed run's summary or
 * a running run's progress, read as JSON so every method's fields come along) and the rows of each
 * round's candidate and dataset files.
 */
record ReportData(String runId, String status, List<Round> rounds, JsonNode usage) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One round: its result record and the rows its shard files hold (missing files: none). */
  record Round(JsonNode result, List<JsonNode> candidates, List<JsonNode> rows) {
    int number() {
      return result.path("round").asInt();
    }
  }

  /**
   * @param summaryOrProgress a RunSummary (field "rounds") or RunProgress ("completedRounds")
   */
  static ReportData of(String runId, String status, Object summaryOrProgress) {
    JsonNode run = JSON.valueToTree(summaryOrProgress);
    JsonNode rounds = run.has("rounds") ? run.get("rounds") : run.path("completedRounds");
    List<Round> read = new ArrayList<>();
    for (JsonNode round : rounds) {
      JsonNode shard = round.path("shard");
      read.add(
          new Round(round, rows(shard.path("candidatesFile")), rows(shard.path("datasetFile"))));
    }
    return new ReportData(runId, status, List.copyOf(read), run.path("usage"));
  }

  private static List<JsonNode> rows(JsonNode file) {
    if (!file.isTextual()) {
      return List.of();
    }
    Path path = Path.of(file.asText());
    if (!Files.isRegularFile(path)) {
      return List.of();
    }
    try {
      List<JsonNode> rows = new ArrayList<>();
      for (String line : Files.readAllLines(path)) {
        if (!line.isBlank()) {
          rows.add(JSON.readTree(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
