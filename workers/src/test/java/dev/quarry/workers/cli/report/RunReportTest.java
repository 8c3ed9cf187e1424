package dev.quarry.workers.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
  @TempDir Path temp;

  @Test
  void histogramBinsAreHalfOpenWithTheTopClosed() {
    Histogram h = Histogram.of(List.of(0.0, 0.1, 0.2, 0.5, 0.99, 1.0), 0, 1, 5);
    // [0,.2) [.2,.4) [.4,.6) [.6,.8) [.8,1]
    assertEquals(List.of(2, 1, 1, 0, 2), Arrays.stream(h.counts()).boxed().toList());
    assertEquals(6, h.total());
    assertEquals(0.4, h.binStart(2), 1e-12);
  }

  @Test
  void reasonsGroupByTheirKind() {
    assertEquals("too few valid inputs", ReportPage.reasonKind("too few valid inputs: 0 < 1 (x)"));
    assertEquals("no program", ReportPage.reasonKind("no program"));
  }

  /**
   * A run shaped like the workflow's RunSummary, with a candidates and a dataset file per round.
   */
  static Map<String, Object> sampleRun(Path dir) throws Exception {
    Path candidates = dir.resolve("round-0.candidates.jsonl");
    Files.writeString(
        candidates,
        String.join(
                "\n",
                "{\"round\":0,\"concepts\":[\"graphs\",\"bfs\"],\"delta\":0.5,\"valid\":true}",
                "{\"round\":0,\"concepts\":[\"graphs\"],\"delta\":0.0,\"valid\":true}",
                "{\"round\":0,\"concepts\":[\"dp\"],\"delta\":null,\"valid\":false,\"invalidReason\":\"no program: empty\"}",
                "{\"round\":0,\"concepts\":[\"dp\"],\"solveRate\":0.25,\"quality\":0.75}")
            + "\n");
    Path rows = dir.resolve("round-0.jsonl");
    Files.writeString(
        rows,
        "{\"key\":\"a\",\"niche\":[\"algebra\",\"counting\"]}\n{\"key\":\"b\",\"niche\":[\"algebra\"]}\n");
    Map<String, Object> shard =
        Map.of("datasetFile", rows.toString(), "candidatesFile", candidates.toString());
    Map<String, Object> round =
        Map.of(
            "round",
            0,
            "generatorVersion",
            "v0",
            "candidates",
            4,
            "validCandidates",
            2,
            "invalidReasons",
            Map.of("no program: empty", 1, "<script>alert(1)</script>", 1),
            "shard",
            shard);
    Map<String, Object> usage =
        Map.of(
            "generator", Map.of("promptTokens", 100, "completionTokens", 50),
            "solver", Map.of("promptTokens", 10, "completionTokens", 400));
    return Map.of("runId", "r1", "rounds", List.of(round), "usage", usage);
  }

  @Test
  void everySectionIsRenderedAndTextIsEscaped() throws Exception {
    String html = RunReport.html("r<1>", "completed", sampleRun(temp));
    assertTrue(html.contains("Quarry run <code>r&lt;1&gt;</code>"));
    for (String expected :
        List.of(
            "self-consistency δ",
            "solve rate",
            "quality",
            "mean δ by concept",
            "Invalid candidates by reason",
            "2 niches filled",
            "Token use per role")) {
      assertTrue(html.contains(expected), expected);
    }
    assertFalse(html.contains("<script>alert"), "reasons are escaped");
    assertEquals(
        7,
        html.split("<svg class=\"chart\"", -1).length - 1,
        "δ, SR, quality, concepts, reasons, niches, tokens");
  }
}
