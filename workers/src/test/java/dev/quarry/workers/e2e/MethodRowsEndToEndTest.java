package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.workflows.run.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each method's round on the real Temporal dev server (and, for QueST, the real Docker sandbox)
 * with every role on the scripted OpenAI-compatible server ({@code quarry llm fake}), whose answers
 * are right often enough that rows reach the dataset. The tiny and small CPU models almost never
 * get a problem through every filter, so the other end-to-end tests see empty datasets; here the
 * dataset rows themselves are read and their method fields checked against the formulas.
 */
class MethodRowsEndToEndTest {
  @TempDir static Path temp;

  private static ScriptedStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = ScriptedStack.start(temp, new ScriptedLlmServer(), 4, Duration.ofMinutes(1));
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void questRowsCarryDeltaAndTheirExecutions() throws Exception {
    Map<String, Object> config = base("quest", "seeds/quarry-seeds.jsonl", "quarry");
    config.put("candidatesPerPrompt", 2);
    config.put("rolloutsPerCandidate", 4);
    config.put("testInputsPerCandidate", 3);
    config.put("roles", roles("generator", "testWriter", "solver"));
    List<JsonNode> rows = rowsOf(run("rows-quest", config));

    for (JsonNode row : rows) {
      for (String field :
          List.of(
              "concepts",
              "prompt",
              "generatorVersion",
              "tests",
              "verdictCounts",
              "delta",
              "comparator")) {
        assertTrue(row.hasNonNull(field), "QueST rows carry " + field + ": " + row);
      }
      double delta = row.get("delta").asDouble();
      assertTrue(delta >= 0 && delta <= 1, "δ is a normalised entropy: " + row);
      assertEquals("v0", row.get("generatorVersion").asText());
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void scaleQuestRowsCarryFailRateAndJudgeVerdicts() throws Exception {
    Map<String, Object> config = base("scalequest", "seeds/math-seeds.jsonl", "math");
    config.put("roles", roles("generator", "judge", "solver", "rewardModel", "rewriter"));
    List<JsonNode> rows = rowsOf(run("rows-scalequest", config));

    for (JsonNode row : rows) {
      for (String field :
          List.of(
              "question",
              "response",
              "answer",
              "failRate",
              "judgeVerdict",
              "filters",
              "rewardScore",
              "generatorVersion")) {
        assertTrue(row.hasNonNull(field), "ScaleQuest rows carry " + field + ": " + row);
      }
      assertEquals("solvable", row.get("judgeVerdict").asText(), row.toString());
      double failRate = row.get("failRate").asDouble();
      assertTrue(
          failRate >= 0.25 && failRate <= 1.0,
          "kept rows are inside the default fail-rate band: " + row);
      for (String filter : List.of("language", "solvability", "difficulty", "answerPresent")) {
        assertTrue(
            row.path("filters").path(filter).path("passed").asBoolean(),
            filter + " passed: " + row);
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sparqRowsCarrySolveRateQualityAndNiche() throws Exception {
    Map<String, Object> config = base("sparq", "seeds/math-seeds.jsonl", "math");
    config.put("sparq", Map.of("rollouts", 3));
    config.put("roles", roles("generator", "skillTagger", "solver"));
    List<JsonNode> rows = rowsOf(run("rows-sparq", config));

    for (JsonNode row : rows) {
      for (String field :
          List.of(
              "problem",
              "solution",
              "referenceAnswer",
              "solveRate",
              "quality",
              "niche",
              "generatorVersion")) {
        assertTrue(row.hasNonNull(field), "SPARQ rows carry " + field + ": " + row);
      }
      double sr = row.get("solveRate").asDouble();
      // K = 3 and one rollout in three is scripted wrong: 1/3 or 2/3 right are inside [0.1, 0.9].
      assertTrue(sr >= 0.1 && sr <= 0.9, "kept rows are inside [T_l, T_u]: " + row);
      assertEquals(1 - sr, row.get("quality").asDouble(), 1e-12, "quality = 1 - SR: " + row);
      List<String> niche = new ArrayList<>();
      row.get("niche").forEach(skill -> niche.add(skill.asText()));
      assertFalse(niche.isEmpty(), row.toString());
      assertTrue(niche.size() <= 3, "at most three skills: " + row);
      assertEquals(
          niche.stream().sorted().toList(), niche, "a niche is a sorted skill tuple: " + row);
    }
  }

  private static Map<String, Object> base(String method, String seedFile, String format) {
    return stack.config(method, 11, 8, seedFile, format);
  }

  private static Map<String, Object> roles(String... names) {
    return stack.roles(names);
  }

  private static RunSummary run(String id, Map<String, Object> config) {
    return stack.run(id, config);
  }

  /** The round's dataset rows, after checking they are there and match the round's summary. */
  private static List<JsonNode> rowsOf(RunSummary summary) throws Exception {
    assertEquals(1, summary.roundsCompleted());
    var round = summary.rounds().get(0);
    List<String> lines = Files.readAllLines(Path.of(round.shard().datasetFile()));
    assertEquals(round.shard().rows(), lines.size());
    assertTrue(
        lines.size() >= 2,
        "the scripted model gets problems through every filter: " + round.invalidReasons());
    List<JsonNode> rows = new ArrayList<>();
    for (String line : lines) {
      rows.add(Json.MAPPER.readTree(line));
    }
    System.out.println(
        summary.rounds().get(0).shard().datasetFile()
            + ": "
            + rows.size()
            + " rows, invalid "
            + round.invalidReasons());
    return rows;
  }
}
