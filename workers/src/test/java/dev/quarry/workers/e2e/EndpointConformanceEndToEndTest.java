package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.llm.ScriptedMode;
import dev.quarry.workflows.round.RoundResult;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarry against endpoints that behave as real ones do (docs/endpoints.md): for each behaviour of
 * the scripted server ({@link ScriptedMode}), a real round of QueST, ScaleQuest and SPARQ on the
 * real Temporal dev server, with the Docker sandbox for QueST, and assertions on the rows: no row
 * or score stands on a reply that does not exist, the denominators count only replies that do, the
 * reasons for what is missing are counted, and the run completes.
 *
 * <p>One dev server, one worker and one scripted server serve every case; the mode of a case is the
 * path prefix of its roles' endpoint URL. All runs start at once and the tests wait for their own,
 * so the suite takes about as long as its slowest runs, not their sum.
 */
class EndpointConformanceEndToEndTest {
  @TempDir static Path temp;

  /** The client gives up on a request after this long; a stalled answer comes later. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

  private static final long STALL_MILLIS = 6_000;

  private static final int QUEST_ROLLOUTS = 4;
  private static final int SPARQ_ROLLOUTS = 3;
  private static final int SCALEQUEST_SAMPLES = 4;

  private static ScriptedStack stack;
  private static final Map<String, WorkflowStub> runs = new LinkedHashMap<>();
  private static long started;

  /** A case: a method, the mode of every role, and optionally another mode for the solver. */
  private record Case(
      String method, ScriptedMode all, ScriptedMode solver, Integer solverMaxTokens) {
    String id() {
      return method + "-" + all.wireName() + (solver == null ? "" : "-solver-" + solver.wireName());
    }
  }

  private static final List<ScriptedMode> ALL_ROLE_MODES =
      List.of(
          ScriptedMode.NORMAL,
          ScriptedMode.IGNORE_N,
          ScriptedMode.FEWER,
          ScriptedMode.REFUSE,
          ScriptedMode.RATE_LIMITED,
          ScriptedMode.SERVER_ERROR,
          ScriptedMode.STALL,
          ScriptedMode.MALFORMED,
          ScriptedMode.OTHER_MODEL);

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String method : List.of("quest", "scalequest", "sparq")) {
      for (ScriptedMode mode : ALL_ROLE_MODES) {
        cases.add(new Case(method, mode, null, null));
      }
      cases.add(new Case(method, ScriptedMode.NORMAL, ScriptedMode.REFUSE_ALL, null));
      // 10 tokens = 40 characters: the scripted solvers' replies lose their program or answer.
      cases.add(new Case(method, ScriptedMode.NORMAL, ScriptedMode.TRUNCATE, 10));
    }
    return cases;
  }

  @BeforeAll
  static void startStackAndEveryRun() throws Exception {
    started = System.nanoTime();
    stack = ScriptedStack.start(temp, new ScriptedLlmServer().stall(STALL_MILLIS), 8, READ_TIMEOUT);
    for (Case c : cases()) {
      GenerationRunWorkflow run = stack.newRun(c.id());
      WorkflowClient.start(run::run, RunInput.start(config(c)));
      runs.put(c.id(), WorkflowStub.fromTyped(run));
    }
  }

  @AfterAll
  static void stopStack() throws Exception {
    System.out.printf(
        "endpoint conformance: %d runs in %d s%n",
        runs.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    if (stack != null) {
      stack.stop();
    }
  }

  // ---------------------------------------------------------------- QueST

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void questRowsStandOnlyOnRolloutsThatExist() throws Exception {
    List<Double> baseline = deltas(rows(round("quest", ScriptedMode.NORMAL)));
    assertFalse(baseline.isEmpty(), "the normal endpoint gets QueST rows");
    for (ScriptedMode mode : ALL_ROLE_MODES) {
      RoundResult round = round("quest", mode);
      List<JsonNode> rows = rows(round);
      assertFalse(rows.isEmpty(), mode + ": rows despite the endpoint: " + round.invalidReasons());
      for (JsonNode row : rows) {
        int count = row.path("rollouts").path("count").asInt();
        int missing = row.path("rollouts").path("missing").size();
        assertEquals(
            QUEST_ROLLOUTS,
            count + missing,
            mode + ": every rollout asked for is accounted for: " + row);
        assertEquals(0, missing, mode + ": what a further request can get is got: " + row);
        assertEquals(
            count * row.get("totalInputs").asInt(),
            row.get("totalExecutions").asInt(),
            mode + ": executions are those of existing rollouts: " + row);
        JsonNode solver = row.path("sampling").path("solver");
        assertEquals(count, solver.size(), mode + ": one sampling record per rollout: " + row);
        Set<String> sent = new HashSet<>();
        solver.forEach(s -> sent.add(s.get("seed").asText() + "/" + s.get("choice").asText()));
        assertEquals(
            count, sent.size(), mode + ": each rollout has its own (seed sent, choice): " + row);
        if (mode == ScriptedMode.IGNORE_N) {
          Set<String> seeds = new HashSet<>();
          solver.forEach(s -> seeds.add(s.get("seed").asText()));
          assertEquals(
              count,
              seeds.size(),
              "one choice per request: every rollout's seed is its request's: " + row);
        }
        if (mode == ScriptedMode.OTHER_MODEL) {
          assertEquals("scripted-other", solver.get(0).get("servedModel").asText(), row.toString());
          assertEquals("scripted", solver.get(0).get("model").asText(), row.toString());
        }
      }
      if (retryCures(mode) || mode == ScriptedMode.OTHER_MODEL) {
        assertEquals(
            baseline, deltas(rows), mode + ": the same rows as from a well-behaved endpoint");
      }
    }
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void questCandidatesWithoutSolverRepliesAreInvalidNotEasy() throws Exception {
    RoundResult refused =
        round(new Case("quest", ScriptedMode.NORMAL, ScriptedMode.REFUSE_ALL, null));
    assertEquals(
        0, rows(refused).size(), "no row stands on refused rollouts: " + refused.invalidReasons());
    assertEquals(refused.candidates(), refused.invalidCandidates());
    assertEquals(
        refused.candidates(),
        count(refused, "too few solver replies: 0 < minimum 2"),
        refused.invalidReasons().toString());

    RoundResult truncated =
        round(new Case("quest", ScriptedMode.NORMAL, ScriptedMode.TRUNCATE, 10));
    for (JsonNode row : rows(truncated)) {
      row.path("sampling")
          .path("solver")
          .forEach(
              s ->
                  assertEquals(
                      "length",
                      s.get("finishReason").asText(),
                      "a cut reply says so in its row: " + row));
    }
    assertEquals(
        truncated.candidates(), truncated.validCandidates() + truncated.invalidCandidates());
    assertEquals(
        truncated.invalidCandidates(),
        truncated.invalidReasons().values().stream().mapToInt(Integer::intValue).sum(),
        "every invalid candidate is a counted reason: " + truncated.invalidReasons());
  }

  // ---------------------------------------------------------------- ScaleQuest

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void scaleQuestFailRatesCountOnlySamplesThatExist() throws Exception {
    List<Double> baseline = failRates(rows(round("scalequest", ScriptedMode.NORMAL)));
    assertFalse(baseline.isEmpty(), "the normal endpoint gets ScaleQuest rows");
    for (ScriptedMode mode : ALL_ROLE_MODES) {
      RoundResult round = round("scalequest", mode);
      List<JsonNode> rows = rows(round);
      assertFalse(rows.isEmpty(), mode + ": rows despite the endpoint: " + round.invalidReasons());
      for (JsonNode row : rows) {
        int samples = row.get("failRateSamples").asInt();
        assertEquals(
            SCALEQUEST_SAMPLES, samples + row.path("failRateMissing").size(), mode + ": " + row);
        assertEquals(
            samples, row.path("sampling").path("failRateSolver").size(), mode + ": " + row);
        double expected = 1.0 - row.get("failRateAgreeing").asDouble() / samples;
        assertEquals(
            expected,
            row.get("failRate").asDouble(),
            1e-12,
            mode + ": over existing samples: " + row);
        assertTrue(
            row.hasNonNull("majorityAnswer"),
            mode + ": a kept question has a majority answer: " + row);
      }
      if (retryCures(mode) || mode == ScriptedMode.OTHER_MODEL) {
        assertEquals(
            baseline, failRates(rows), mode + ": the same rows as from a well-behaved endpoint");
      }
    }
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void scaleQuestQuestionsWithoutAnswersAreInvalidNotHard() throws Exception {
    RoundResult refused =
        round(new Case("scalequest", ScriptedMode.NORMAL, ScriptedMode.REFUSE_ALL, null));
    assertEquals(
        0,
        rows(refused).size(),
        "no question passes on samples that do not exist: " + refused.invalidReasons());
    assertTrue(
        count(refused, "difficulty: too few solver replies: 0 of 4 < minimum 2") > 0,
        refused.invalidReasons().toString());
    assertEquals(
        0, count(refused, "difficulty: fail rate outside"), refused.invalidReasons().toString());

    RoundResult truncated =
        round(new Case("scalequest", ScriptedMode.NORMAL, ScriptedMode.TRUNCATE, 10));
    assertEquals(
        0, rows(truncated).size(), "cut replies state no answer: " + truncated.invalidReasons());
    assertTrue(
        count(truncated, "difficulty: no solver reply states a final answer") > 0,
        truncated.invalidReasons().toString());
  }

  // ---------------------------------------------------------------- SPARQ

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void sparqSolveRatesCountOnlyRolloutsThatExist() throws Exception {
    List<Double> baseline = solveRates(rows(round("sparq", ScriptedMode.NORMAL)));
    assertFalse(baseline.isEmpty(), "the normal endpoint gets SPARQ rows");
    for (ScriptedMode mode : ALL_ROLE_MODES) {
      RoundResult round = round("sparq", mode);
      List<JsonNode> rows = rows(round);
      // Further requests carry other seeds, so their rollouts (and solve rates) may differ from the
      // baseline's; what must hold is that every problem was measured.
      assertEquals(0, count(round, "too few solver replies"), mode + ": " + round.invalidReasons());
      assertTrue(
          round.validCandidates() > 0,
          mode + ": problems measured despite the endpoint: " + round.invalidReasons());
      for (JsonNode row : rows) {
        JsonNode rollouts = row.path("rollouts");
        int count = rollouts.path("count").asInt();
        assertEquals(SPARQ_ROLLOUTS, count + rollouts.path("missing").size(), mode + ": " + row);
        assertEquals(count, rollouts.path("answers").size(), mode + ": " + row);
        assertEquals(
            row.get("correct").asDouble() / count,
            row.get("solveRate").asDouble(),
            1e-12,
            mode + ": SR over existing rollouts: " + row);
      }
      if (retryCures(mode) || mode == ScriptedMode.OTHER_MODEL) {
        assertEquals(
            baseline, solveRates(rows), mode + ": the same rows as from a well-behaved endpoint");
      }
    }
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void sparqProblemsWithoutRolloutsAreInvalid() throws Exception {
    RoundResult refused =
        round(new Case("sparq", ScriptedMode.NORMAL, ScriptedMode.REFUSE_ALL, null));
    assertEquals(0, rows(refused).size(), refused.invalidReasons().toString());
    assertTrue(
        count(refused, "too few solver replies: 0 of 3 < minimum 2") > 0,
        refused.invalidReasons().toString());

    RoundResult truncated =
        round(new Case("sparq", ScriptedMode.NORMAL, ScriptedMode.TRUNCATE, 10));
    // Cut rollouts exist and state no answer: a measured solve rate of 0, below T_l, so no row.
    assertEquals(0, rows(truncated).size(), truncated.invalidReasons().toString());
  }

  // ---------------------------------------------------------------- helpers

  private static boolean retryCures(ScriptedMode mode) {
    return mode == ScriptedMode.RATE_LIMITED
        || mode == ScriptedMode.SERVER_ERROR
        || mode == ScriptedMode.STALL
        || mode == ScriptedMode.MALFORMED;
  }

  private static Map<String, Object> config(Case c) {
    Map<String, Object> config = new HashMap<>();
    config.put("method", c.method());
    config.put("seed", 11);
    config.put("promptsPerRound", 3);
    boolean math = !c.method().equals("quest");
    String seeds = math ? "seeds/math-seeds.jsonl" : "seeds/quarry-seeds.jsonl";
    config.put(
        "seeds",
        Map.of(
            "file",
            Path.of("..", seeds).toAbsolutePath().normalize().toString(),
            "format",
            math ? "math" : "quarry"));
    config.put("outputDir", temp.resolve("datasets-" + c.id()).toString());
    List<String> roles =
        switch (c.method()) {
          case "quest" -> List.of("generator", "testWriter", "solver");
          case "scalequest" -> List.of("generator", "judge", "solver", "rewardModel", "rewriter");
          default -> List.of("generator", "skillTagger", "solver");
        };
    Map<String, Object> roleConfigs = new HashMap<>();
    for (String name : roles) {
      boolean solver = name.equals("solver");
      ScriptedMode mode = solver && c.solver() != null ? c.solver() : c.all();
      Map<String, Object> role = new HashMap<>();
      role.put("endpoint", stack.llm().baseUrl(mode) + "/v1");
      role.put("model", "scripted");
      role.put("maxTokens", solver && c.solverMaxTokens() != null ? c.solverMaxTokens() : 512);
      roleConfigs.put(name, role);
    }
    config.put("roles", roleConfigs);
    switch (c.method()) {
      case "quest" -> {
        config.put("candidatesPerPrompt", 2);
        config.put("rolloutsPerCandidate", QUEST_ROLLOUTS);
        config.put("testInputsPerCandidate", 3);
      }
      case "scalequest" ->
          config.put(
              "scalequest", Map.of("solverSamples", SCALEQUEST_SAMPLES, "responseSamples", 2));
      default -> config.put("sparq", Map.of("rollouts", SPARQ_ROLLOUTS));
    }
    return config;
  }

  private static RoundResult round(String method, ScriptedMode mode) throws Exception {
    return round(new Case(method, mode, null, null));
  }

  /** The case's only round, after its run completed. */
  private static RoundResult round(Case c) throws Exception {
    RunSummary summary = runs.get(c.id()).getResult(15, TimeUnit.MINUTES, RunSummary.class);
    assertEquals(1, summary.roundsCompleted(), c.id() + " completes");
    return summary.rounds().get(0);
  }

  private static List<JsonNode> rows(RoundResult round) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(round.shard().datasetFile()));
    assertEquals(round.shard().rows(), lines.size());
    List<JsonNode> rows = new ArrayList<>();
    for (String line : lines) {
      rows.add(Json.MAPPER.readTree(line));
    }
    return rows;
  }

  private static int count(RoundResult round, String reasonStart) {
    return round.invalidReasons().entrySet().stream()
        .filter(e -> e.getKey() != null && e.getKey().startsWith(reasonStart))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  private static List<Double> deltas(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get("delta").asDouble()).sorted().toList();
  }

  private static List<Double> failRates(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get("failRate").asDouble()).sorted().toList();
  }

  private static List<Double> solveRates(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get("solveRate").asDouble()).sorted().toList();
  }
}
