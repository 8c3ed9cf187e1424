package dev.quarry.activities.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.core.artifacts.ExecutionArtifact;
import dev.quarry.core.artifacts.ProblemArtifact;
import dev.quarry.core.artifacts.RolloutsArtifact;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.artifacts.TestInputsArtifact;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.core.difficulty.DifficultyScore;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Verdict;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.prompt.CandidateSummary;
import dev.quarry.workflows.prompt.PromptRecord;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shard writer: lineage on every row, every candidate listed, RFT rows, idempotence. */
class DatasetActivitiesTest {
  @TempDir Path temp;

  @Test
  void writesRowsWithFullLineageAndIsIdempotent() throws Exception {
    FileArtifactStore store = new FileArtifactStore(temp.resolve("artifacts"));
    RecordStore records = new RecordStore(temp.resolve("records"));
    DatasetActivitiesImpl dataset = new DatasetActivitiesImpl(records, store);
    RunConfig config = RunConfigLoader.parse("outputDir: " + temp.resolve("out"), "test");

    SamplingRecord sampling = new SamplingRecord("m", 0.9, 0.95, 64, List.of(), 42);
    var problem =
        store.putJson(
            new ProblemArtifact(
                List.of(Message.system("setter"), Message.user("combine dp, graphs")),
                "Count paths.",
                sampling,
                "v0"));
    var tests = store.putJson(new TestInputsArtifact(List.of("1\n", "2\n"), "{...}", sampling));
    var rollouts =
        store.putJson(
            new RolloutsArtifact(
                List.of("a", "b"), List.of("ra", "rb"), List.of(sampling, sampling)));
    var execution =
        store.putJson(
            new ExecutionArtifact(
                List.of(
                    new ExecutionOutcome(0, 0, Verdict.OK, "5\n", "", 0, 0.01),
                    new ExecutionOutcome(1, 0, Verdict.OK, "5", "", 0, 0.01),
                    new ExecutionOutcome(0, 1, Verdict.OK, "7\n", "", 0, 0.01),
                    new ExecutionOutcome(1, 1, Verdict.OK, "8\n", "", 0, 0.01)),
                Comparison.WHITESPACE));
    var score = new DifficultyScore(true, 0.25, 2, 2, 4, 4, null);
    CandidateSummary valid =
        new CandidateSummary(0, problem, tests, rollouts, execution, Map.of("OK", 4), score, null);
    CandidateSummary invalid =
        CandidateSummary.invalid(1, problem, "test writer gave no parseable inputs");
    dataset.recordPrompt(
        new PromptRecord(
            "run-x",
            0,
            new PromptSpec(0, List.of("dp", "graphs"), List.of("q001")),
            "v0",
            List.of(valid, invalid),
            0,
            Usage.ZERO));

    ShardRequest request = new ShardRequest("run-x", 0, 1, config, "v0");
    ShardResult shard = dataset.writeShard(request);
    assertEquals(1, shard.rows());
    assertEquals(2, shard.candidates());

    List<String> rows = Files.readAllLines(Path.of(shard.datasetFile()));
    assertEquals(1, rows.size());
    JsonNode row = Json.MAPPER.readTree(rows.get(0));
    assertEquals("run-x/round-0/prompt-0/candidate-0", row.get("key").asText());
    assertEquals("[\"dp\",\"graphs\"]", row.get("concepts").toString());
    assertEquals("combine dp, graphs", row.at("/prompt/1/content").asText());
    assertEquals("Count paths.", row.get("problem").asText());
    assertEquals("v0", row.get("generatorVersion").asText());
    assertEquals(42, row.at("/sampling/generator/seed").asInt());
    assertEquals(0.9, row.at("/sampling/generator/temperature").asDouble(), 1e-12);
    assertEquals("[\"1\\n\",\"2\\n\"]", row.at("/tests/inputs").toString());
    assertEquals(
        "5", row.at("/tests/expectedOutputs/0").asText(), "majority output, whitespace-normalised");
    assertEquals(4, row.at("/verdictCounts/OK").asInt());
    assertEquals(0.25, row.get("delta").asDouble(), 1e-12);
    assertEquals("whitespace", row.get("comparator").asText());
    assertEquals("quest", row.get("method").asText());

    List<String> candidates = Files.readAllLines(Path.of(shard.candidatesFile()));
    assertEquals(2, candidates.size());
    JsonNode rejected = Json.MAPPER.readTree(candidates.get(1));
    assertEquals("test writer gave no parseable inputs", rejected.get("invalidReason").asText());
    assertTrue(rejected.get("delta").isNull());

    JsonNode rft = Json.MAPPER.readTree(Files.readAllLines(Path.of(shard.rftFile())).get(0));
    assertEquals(3, rft.get("messages").size());
    assertEquals("assistant", rft.at("/messages/2/role").asText());
    assertEquals("Count paths.", rft.at("/messages/2/content").asText());

    // A retried activity rewrites the shard: same rows, never duplicated.
    dataset.writeShard(request);
    assertEquals(rows, Files.readAllLines(Path.of(shard.datasetFile())));
  }

  static final String LANTERNS =
      "A street has n lanterns standing in a row numbered 1 to n from west to east. Lantern i"
          + " shines with brightness b_i. The mayor asks q questions; each names two lanterns l"
          + " and r and asks for the total brightness of lanterns l to r. Answer every question.";
  static final String GRID =
      "You are given a grid of h rows and w columns. Some cells are walls. Find the length of"
          + " the shortest path from the top left cell to the bottom right cell.";
  static final String TOKENS =
      "Alice writes k tokens on a circle and removes every third one until one is left; print"
          + " the label of the last token for each of t test cases.";

  /** Records one prompt whose only, valid candidate wrote {@code problemText}. */
  private static void recordPrompt(
      DatasetActivitiesImpl dataset,
      FileArtifactStore store,
      String run,
      int round,
      int prompt,
      String problemText)
      throws Exception {
    SamplingRecord sampling = new SamplingRecord("m", 0.9, 0.95, 64, List.of(), 42);
    var problem =
        store.putJson(
            new ProblemArtifact(List.of(Message.user("write")), problemText, sampling, "v0"));
    var tests = store.putJson(new TestInputsArtifact(List.of("1\n"), "{}", sampling));
    var rollouts =
        store.putJson(
            new RolloutsArtifact(
                List.of("a", "b"), List.of("a", "b"), List.of(sampling, sampling)));
    var execution =
        store.putJson(
            new ExecutionArtifact(
                List.of(
                    new ExecutionOutcome(0, 0, Verdict.OK, "1\n", "", 0, 0.01),
                    new ExecutionOutcome(1, 0, Verdict.OK, "2\n", "", 0, 0.01)),
                Comparison.WHITESPACE));
    var score = new DifficultyScore(true, 0.5, 1, 1, 2, 2, null);
    dataset.recordPrompt(
        new PromptRecord(
            run,
            round,
            new PromptSpec(prompt, List.of("dp"), List.of()),
            "v0",
            List.of(
                new CandidateSummary(
                    0, problem, tests, rollouts, execution, Map.of("OK", 2), score, null)),
            0,
            Usage.ZERO));
  }

  @Test
  void contaminatedAndNearDuplicateRowsAreDroppedWithReasonsAcrossRounds() throws Exception {
    FileArtifactStore store = new FileArtifactStore(temp.resolve("artifacts"));
    RecordStore records = new RecordStore(temp.resolve("records"));
    DatasetActivitiesImpl dataset = new DatasetActivitiesImpl(records, store);
    Path bench = temp.resolve("bench.jsonl");
    Files.writeString(bench, "{\"task_id\": \"B/1\", \"question\": \"" + GRID + "\"}\n");
    RunConfig config =
        RunConfigLoader.parse(
            "outputDir: "
                + temp.resolve("out")
                + "\ndecontamination:\n  files: ["
                + bench
                + "]\n  n: 8\n",
            "test");

    recordPrompt(dataset, store, "run-d", 0, 0, LANTERNS);
    recordPrompt(dataset, store, "run-d", 0, 1, LANTERNS.toUpperCase().replace(",", " ,"));
    recordPrompt(
        dataset,
        store,
        "run-d",
        0,
        2,
        "Story: find the length of the shortest path from the top left cell home.");
    ShardResult round0 = dataset.writeShard(new ShardRequest("run-d", 0, 3, config, "v0"));
    assertEquals(1, round0.rows());
    assertEquals(3, round0.candidates(), "dropped rows stay in the candidates file");
    Path dir = Path.of(round0.datasetFile()).getParent();
    List<String> dropped = Files.readAllLines(dir.resolve("round-0.dropped.jsonl"));
    assertEquals(2, dropped.size());
    JsonNode duplicate = Json.MAPPER.readTree(dropped.get(0));
    assertEquals("run-d/round-0/prompt-1/candidate-0", duplicate.get("key").asText());
    assertEquals("near-duplicate", duplicate.get("dropped").asText());
    assertEquals("run-d/round-0/prompt-0/candidate-0", duplicate.get("duplicateOf").asText());
    JsonNode contaminated = Json.MAPPER.readTree(dropped.get(1));
    assertEquals("contaminated", contaminated.get("dropped").asText());
    assertEquals(
        "shares the 8-gram \"find the length of the shortest path from\" with benchmark bench.jsonl:1",
        contaminated.get("reason").asText());
    JsonNode candidate =
        Json.MAPPER.readTree(Files.readAllLines(Path.of(round0.candidatesFile())).get(1));
    assertEquals("near-duplicate", candidate.get("dropped").asText());
    assertEquals(
        1,
        Files.readAllLines(Path.of(round0.rftFile())).size(),
        "the RFT export holds kept rows only");

    // Round 1 is compared with what round 0 kept.
    recordPrompt(dataset, store, "run-d", 1, 0, LANTERNS + " Answer quickly.");
    recordPrompt(dataset, store, "run-d", 1, 1, TOKENS);
    ShardRequest second = new ShardRequest("run-d", 1, 2, config, "v0");
    ShardResult round1 = dataset.writeShard(second);
    assertEquals(1, round1.rows());
    JsonNode late =
        Json.MAPPER.readTree(Files.readAllLines(dir.resolve("round-1.dropped.jsonl")).get(0));
    assertEquals("run-d/round-0/prompt-0/candidate-0", late.get("duplicateOf").asText());
    assertTrue(Files.readString(Path.of(round1.datasetFile())).contains("Alice writes k tokens"));

    // Retried writes (or a worker restarted mid-run) give the same shards: a shard never sees
    // its own kept rows as earlier ones.
    assertEquals(1, dataset.writeShard(second).rows());
    assertEquals(1, dataset.writeShard(new ShardRequest("run-d", 0, 3, config, "v0")).rows());
    assertEquals(1, new DatasetActivitiesImpl(records, store).writeShard(second).rows());
  }

  @Test
  void dedupCanBeSwitchedOffAndAMissingBenchmarkIsNamed() throws Exception {
    FileArtifactStore store = new FileArtifactStore(temp.resolve("artifacts"));
    RecordStore records = new RecordStore(temp.resolve("records"));
    DatasetActivitiesImpl dataset = new DatasetActivitiesImpl(records, store);
    recordPrompt(dataset, store, "run-o", 0, 0, LANTERNS);
    recordPrompt(dataset, store, "run-o", 0, 1, LANTERNS);
    RunConfig off =
        RunConfigLoader.parse(
            "outputDir: " + temp.resolve("out") + "\ndedup:\n  enabled: false\n", "test");
    assertEquals(2, dataset.writeShard(new ShardRequest("run-o", 0, 2, off, "v0")).rows());

    RunConfig missing =
        RunConfigLoader.parse(
            "outputDir: "
                + temp.resolve("out")
                + "\ndecontamination:\n  files: ["
                + temp.resolve("nope.jsonl")
                + "]\n",
            "test");
    var failure =
        Assertions.assertThrows(
            ApplicationFailure.class,
            () -> dataset.writeShard(new ShardRequest("run-o", 0, 2, missing, "v0")));
    assertEquals(ActivityStubs.DATA_MISSING, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("nope.jsonl"), failure.getOriginalMessage());
  }
}
