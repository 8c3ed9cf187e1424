package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.llm.ScriptedMode;
import dev.quarry.workflows.run.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive rollouts on the real parts: the Temporal dev server, the Docker sandbox (QueST) and the
 * scripted OpenAI-compatible server, whose solver role is the mixed-difficulty one (each problem
 * solved with its own chance from 0 to 1). Sampling stops early for settled candidates, and the
 * rows say how many rollouts each used and why it stopped.
 */
class AdaptiveRolloutsEndToEndTest {
  private static final int BUDGET = 16;

  /**
   * QueST's M: with 32 in waves of 8, an easy candidate's δ at 95% falls below a hard one's by 16
   * rollouts even when the hard one is a wave behind, whatever order the waves finish in.
   */
  private static final int QUEST_BUDGET = 32;

  private static final Set<String> STOPS =
      Set.of(
          "BUDGET", "SETTLED_EXACTLY", "SETTLED_AT_CONFIDENCE", "CANNOT_WIN", "NARROW", "REJECTED");

  @TempDir static Path temp;

  private static ScriptedStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = ScriptedStack.start(temp, new ScriptedLlmServer(), 8, Duration.ofMinutes(1));
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void questStopsSamplingCandidatesThatCannotBeTheHardest() throws Exception {
    Map<String, Object> config = base("quest", "seeds/quarry-seeds.jsonl", "quarry");
    config.put("promptsPerRound", 8);
    config.put("candidatesPerPrompt", 4);
    config.put("rolloutsPerCandidate", QUEST_BUDGET);
    config.put("testInputsPerCandidate", 3);
    config.put("roles", roles("generator", "testWriter"));
    // At confidence too: the exact bound alone stops an easy candidate only late in a budget of 16,
    // and only when a harder one of its prompt has its bound by then.
    config.put(
        "rollouts", Map.of("adaptive", true, "firstWave", 8, "waveSize", 8, "confidenceZ", 1.96));
    RunSummary summary = run("adaptive-quest", config);
    var shard = summary.rounds().get(0).shard();
    List<JsonNode> candidates = lines(shard.candidatesFile());

    int stoppedEarly = 0;
    Map<Integer, List<JsonNode>> byPrompt = new TreeMap<>();
    for (JsonNode c : candidates) {
      if (!c.has("rolloutsUsed")) {
        continue; // never reached the solver (invalid problem or tests), with its reason
      }
      checkRecorded(c, QUEST_BUDGET);
      if (c.get("rolloutsUsed").asInt() < QUEST_BUDGET) {
        stoppedEarly++;
        String why = c.get("stopReason").asText();
        assertTrue(
            Set.of("CANNOT_WIN", "SETTLED_AT_CONFIDENCE").contains(why),
            "QueST stops early only when settled: " + c);
        if (why.equals("CANNOT_WIN")) {
          assertFalse(
              c.get("selected").asBoolean(), "a candidate that cannot win is never selected: " + c);
        }
      }
      byPrompt.computeIfAbsent(c.get("promptIndex").asInt(), k -> new ArrayList<>()).add(c);
    }
    assertTrue(stoppedEarly > 0, "some candidates stop before the budget: " + candidates);
    // The selection is the hardest valid candidate of each prompt, whatever stopped early.
    for (List<JsonNode> prompt : byPrompt.values()) {
      double hardest =
          prompt.stream()
              .filter(c -> c.get("valid").asBoolean())
              .mapToDouble(c -> c.get("delta").asDouble())
              .max()
              .orElse(-1);
      for (JsonNode c : prompt) {
        if (c.get("selected").asBoolean()) {
          assertEquals(
              hardest,
              c.get("delta").asDouble(),
              1e-12,
              "the selected candidate is the hardest: " + prompt);
        }
      }
    }
    List<JsonNode> rows = lines(shard.datasetFile());
    assertFalse(
        rows.isEmpty(), "rows reach the dataset: " + summary.rounds().get(0).invalidReasons());
    for (JsonNode row : rows) {
      checkRecorded(row, QUEST_BUDGET);
      // Every rollout asked for either exists or is listed as missing with its reason.
      assertEquals(
          row.get("rolloutsUsed").asInt(),
          row.path("rollouts").path("count").asInt() + row.path("rollouts").path("missing").size(),
          row.toString());
    }
    System.out.println(
        "QueST: " + stoppedEarly + " of " + candidates.size() + " candidates stopped early");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sparqStopsOnceTheSolveRateIsSettledInsideOrOutsideTheBand() throws Exception {
    Map<String, Object> config = base("sparq", "seeds/math-seeds.jsonl", "math");
    config.put("sparq", Map.of("rollouts", BUDGET));
    config.put("roles", roles("generator", "skillTagger"));
    RunSummary summary = run("adaptive-sparq", config);
    var shard = summary.rounds().get(0).shard();

    int settled = 0;
    for (JsonNode c : lines(shard.candidatesFile())) {
      if (!c.has("rolloutsUsed")) {
        continue;
      }
      checkRecorded(c);
      if (c.get("rolloutsUsed").asInt() < BUDGET) {
        settled++;
        assertEquals("SETTLED_EXACTLY", c.get("stopReason").asText(), c.toString());
        double sr = c.get("solveRate").asDouble();
        // With waves of 4 of 16, only "inside [0.1, 0.9]" can be settled exactly before the budget.
        assertTrue(sr >= 0.1 && sr <= 0.9, c.toString());
      }
    }
    assertTrue(settled > 0, "problems in the band stop before K");
    for (JsonNode row : lines(shard.datasetFile())) {
      checkRecorded(row);
      assertEquals(
          row.get("rolloutsUsed").asInt(),
          row.path("rollouts").path("count").asInt() + row.path("rollouts").path("missing").size(),
          row.toString());
    }
  }

  private static void checkRecorded(JsonNode row) {
    checkRecorded(row, BUDGET);
  }

  private static void checkRecorded(JsonNode row, int budget) {
    int used = row.get("rolloutsUsed").asInt();
    assertTrue(used >= 1 && used <= budget, "rolloutsUsed within the budget: " + row);
    assertTrue(STOPS.contains(row.get("stopReason").asText()), "a known stop reason: " + row);
    if (used == budget) {
      assertEquals("BUDGET", row.get("stopReason").asText(), row.toString());
    }
  }

  private static Map<String, Object> base(String method, String seedFile, String format) {
    Map<String, Object> config = stack.config(method, 5, 6, seedFile, format);
    config.put("maxConcurrentPrompts", 3);
    config.put(
        "rollouts", Map.of("adaptive", true, "firstWave", 4, "waveSize", 4, "confidenceZ", 0));
    return config;
  }

  /** The named roles on the plain scripted endpoint, the solver on its mixed-difficulty one. */
  private static Map<String, Object> roles(String... names) {
    Map<String, Object> roles = stack.roles(names);
    roles.put(
        "solver",
        Map.of(
            "endpoint",
            stack.llm().baseUrl(ScriptedMode.MIXED_DIFFICULTY) + "/v1",
            "model",
            "scripted",
            "maxTokens",
            512));
    return roles;
  }

  private static RunSummary run(String id, Map<String, Object> config) {
    RunSummary summary = stack.run(id, config);
    assertEquals(1, summary.roundsCompleted());
    return summary;
  }

  private static List<JsonNode> lines(String file) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(file))) {
      if (!line.isBlank()) {
        rows.add(Json.MAPPER.readTree(line));
      }
    }
    return rows;
  }
}
