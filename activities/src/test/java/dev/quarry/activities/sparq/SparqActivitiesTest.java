package dev.quarry.activities.sparq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.concepts.SeedRepository;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.MathProblemArtifact;
import dev.quarry.core.artifacts.MathRolloutsArtifact;
import dev.quarry.core.artifacts.SparqArchiveRecord;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.core.sparq.ArchiveEntry;
import dev.quarry.core.sparq.Niche;
import dev.quarry.core.sparq.QualityDiversityArchive;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.sparq.ArchiveUpdate;
import dev.quarry.workflows.sparq.PrepareRoundRequest;
import dev.quarry.workflows.sparq.PreparedRound;
import dev.quarry.workflows.sparq.ScoreSolveRateRequest;
import dev.quarry.workflows.sparq.SolveRateScore;
import dev.quarry.workflows.sparq.SparqParent;
import dev.quarry.workflows.sparq.SparqProblemRecord;
import dev.quarry.workflows.sparq.SparqShard;
import dev.quarry.workflows.sparq.SparqShardRequest;
import dev.quarry.workflows.sparq.UpdateArchiveRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's life across rounds on the real record and artifact stores. */
class SparqActivitiesTest {
  @TempDir Path temp;
  private FileArtifactStore store;
  private RecordStore records;
  private SparqActivitiesImpl activities;

  @BeforeEach
  void setUp() {
    store = new FileArtifactStore(temp.resolve("artifacts"));
    records = new RecordStore(temp.resolve("records"));
    activities = new SparqActivitiesImpl(records, store, new SeedRepository());
  }

  private RunConfig config(String sparqBlock, int prompts) {
    Path seeds = Path.of("../seeds/math-seeds.jsonl").toAbsolutePath().normalize();
    return RunConfigLoader.parse(
        "method: sparq\npromptsPerRound: "
            + prompts
            + "\nseeds:\n  file: "
            + seeds
            + "\n  format: math\noutputDir: "
            + temp.resolve("out")
            + "\nsparq:\n"
            + sparqBlock,
        "test");
  }

  /** Stores a measured problem of round {@code round}, prompt {@code i}, as a SparqPrompt would. */
  private SparqProblemRecord record(RunConfig config, int round, int i, Niche niche, int correct)
      throws Exception {
    return record("run", config, round, i, niche, correct);
  }

  private SparqProblemRecord record(
      String runId, RunConfig config, int round, int i, Niche niche, int correct) throws Exception {
    return record(runId, config, round, i, niche, correct, "generated " + round + "/" + i);
  }

  private SparqProblemRecord record(
      String runId, RunConfig config, int round, int i, Niche niche, int correct, String statement)
      throws Exception {
    int k = config.sparq().rollouts();
    ArtifactRef problem =
        store.putJson(
            new MathProblemArtifact(List.of(), statement, "s \\boxed{1}", "1", "{}", null, "v0"));
    ArtifactRef rollouts =
        store.putJson(
            new MathRolloutsArtifact(
                List.of("\\boxed{1}"), Collections.singletonList("1"), List.of()));
    double sr = (double) correct / k;
    SparqProblemRecord r =
        new SparqProblemRecord(
            runId,
            round,
            i,
            runId + "/round-" + round + "/prompt-" + i,
            "m001",
            Niche.of("x"),
            "v0",
            problem,
            "1",
            niche.skills(),
            niche,
            rollouts,
            new SolveRateScore(correct, k, k, sr, config.sparq().qualityBand().quality(sr)),
            null,
            Usage.ZERO);
    activities.recordProblem(r);
    return r;
  }

  @Test
  void theFirstRoundBuildsTheSeedArchiveOnceAndDrawsSeedParents() throws Exception {
    RunConfig config = config("  nicheCapacity: 2\n", 6);
    PreparedRound first = activities.prepareRound(new PrepareRoundRequest("run", 0, config, 42));
    assertEquals(6, first.parents().size());
    // The vocabulary is the seeds' skills by frequency: 'linear equations' (7) leads, then 'number
    // theory' (6).
    assertEquals(List.of("linear equations", "number theory"), first.vocabulary().subList(0, 2));
    SparqArchiveRecord seeds =
        records.read(SparqArchiveStore.seedKey("run"), SparqArchiveRecord.class).orElseThrow();
    assertTrue(
        seeds.archive().entries().stream().allMatch(e -> e.origin().equals(ArchiveEntry.SEED)));
    assertEquals(first.archiveSize(), seeds.archive().entries().size());
    // Capacity 2: no niche holds more than two seeds.
    assertTrue(
        QualityDiversityArchive.of(seeds.archive()).niches().values().stream()
            .allMatch(n -> n.size() <= 2));
    for (SparqParent p : first.parents()) {
      assertTrue(p.parentId().startsWith("m0"), p.parentId());
      assertFalse(
          store.getJson(p.problem(), MathProblemArtifact.class).problem().isBlank(),
          "seed text is stored");
    }
    // A retry (same request) gives the same parents from the same stored archive.
    assertEquals(first, activities.prepareRound(new PrepareRoundRequest("run", 0, config, 42)));
  }

  @Test
  void scoringCountsEquivalentAnswersAndAppliesTheBand() throws Exception {
    RunConfig config = config("  rollouts: 4\n", 1);
    ArtifactRef rollouts =
        store.putJson(
            new MathRolloutsArtifact(
                List.of("\\boxed{0.5}", "\\boxed{1/2}", "\\boxed{2}", "none"),
                List.of(),
                List.of()));
    SolveRateScore score =
        activities.score(new ScoreSolveRateRequest("k", rollouts, "\\frac{1}{2}", config.sparq()));
    assertEquals(new SolveRateScore(2, 3, 4, 0.5, 0.5), score);
  }

  @Test
  void anArchiveUpdateIsIdempotentAndEvictsTheWeakest() throws Exception {
    RunConfig config = config("  nicheCapacity: 1\n  rollouts: 4\n", 4);
    activities.prepareRound(new PrepareRoundRequest("run", 0, config, 1));
    Niche functions = Niche.of("functions"); // seed m032 alone, quality 0
    record(config, 0, 0, functions, 3); // SR .75 → quality .25: replaces the seed
    record(config, 0, 1, functions, 1); // SR .25 → quality .75: replaces prompt 0
    record(config, 0, 2, functions, 2); // quality .5: rejected, .75 is better
    record(config, 0, 3, functions, 0); // SR 0 → quality 0: not offered
    UpdateArchiveRequest update = new UpdateArchiveRequest("run", 0, 4, config);
    ArchiveUpdate first = activities.updateArchive(update);
    assertEquals(3, first.offered());
    assertEquals(0, first.added());
    assertEquals(2, first.replaced());
    assertEquals(1, first.rejected());
    ArchiveUpdate retried = activities.updateArchive(update);
    assertEquals(
        first, retried, "a retried update recomputes from the round before: no double insert");
    SparqArchiveRecord after =
        Json.read(Files.readAllBytes(Path.of(first.archiveFile())), SparqArchiveRecord.class);
    List<ArchiveEntry> inNiche =
        after.archive().entries().stream().filter(e -> e.niche().equals(functions)).toList();
    assertEquals(1, inNiche.size());
    assertEquals("run/round-0/prompt-1", inNiche.get(0).id());
    assertEquals(0.75, inNiche.get(0).quality(), 1e-12);
    assertEquals(first.size(), after.archive().entries().size());
    assertEquals(
        after,
        records.read(SparqArchiveStore.roundKey("run", 0), SparqArchiveRecord.class).orElseThrow());
  }

  private Set<String> parentsOfRoundOne(String mode) throws Exception {
    RunConfig config =
        config(
            "  archive: "
                + mode
                + "\n  parentSelection: diverse\n  nicheCapacity: 1\n  rollouts: 4\n",
            300);
    activities = new SparqActivitiesImpl(records, store, new SeedRepository());
    activities.prepareRound(new PrepareRoundRequest("run-" + mode, 0, config, 1));
    // Round 0: one generated problem of quality .75 takes the (functions) niche from seed m032.
    record("run-" + mode, config, 0, 0, Niche.of("functions"), 1);
    activities.updateArchive(new UpdateArchiveRequest("run-" + mode, 0, 1, config));
    PreparedRound round1 =
        activities.prepareRound(new PrepareRoundRequest("run-" + mode, 1, config, 7));
    return round1.parents().stream().map(SparqParent::parentId).collect(Collectors.toSet());
  }

  @Test
  void dynamicArchivesOfferGeneratedParentsAndStaticOnesOnlySeeds() throws Exception {
    Set<String> dynamic = parentsOfRoundOne("dynamic");
    assertTrue(
        dynamic.contains("run-dynamic/round-0/prompt-0"), "the generated problem becomes a parent");
    assertFalse(dynamic.contains("m032"), "the seed it evicted is gone");
    Set<String> fixed = parentsOfRoundOne("static");
    assertTrue(fixed.stream().allMatch(id -> id.startsWith("m0")), fixed.toString());
    assertTrue(fixed.contains("m032"), "static parents come from the seed archive");
  }

  @Test
  void theShardKeepsWhatTheFilterChoosesWithSparqsFields() throws Exception {
    RunConfig config = config("  rollouts: 4\n  filter: diversity\n  filterBudget: 2\n", 4);
    activities.prepareRound(new PrepareRoundRequest("run", 0, config, 1));
    record(config, 0, 0, Niche.of("algebra"), 1); // quality .75
    record(config, 0, 1, Niche.of("algebra"), 1); // quality .75, same niche
    record(config, 0, 2, Niche.of("geometry"), 3); // quality .25, another niche
    record(config, 0, 3, Niche.of("geometry"), 4); // SR 1: quality 0, never kept
    SparqShard written = activities.writeShard(new SparqShardRequest("run", 0, 4, config, "v0"));
    assertEquals(2, written.shard().rows());
    assertEquals(4, written.shard().candidates());
    assertEquals(0.5, written.meanQuality(), 1e-12, "(.75 + .25) / 2");
    List<String> dataset = Files.readAllLines(Path.of(written.shard().datasetFile()));
    JsonNode first = Json.MAPPER.readTree(dataset.get(0));
    JsonNode second = Json.MAPPER.readTree(dataset.get(1));
    assertEquals(
        "run/round-0/prompt-0", first.get("key").asText(), "diversity: best of (algebra) ...");
    assertEquals("run/round-0/prompt-2", second.get("key").asText(), "... then best of (geometry)");
    for (String field :
        List.of(
            "solveRate",
            "quality",
            "niche",
            "parent",
            "referenceAnswer",
            "solution",
            "rollouts",
            "sampling",
            "generatorVersion",
            "sparq")) {
      assertTrue(first.has(field), "dataset rows carry " + field);
    }
    assertEquals(0.25, first.get("solveRate").asDouble(), 1e-12);
    assertEquals(0.75, first.get("quality").asDouble(), 1e-12);
    assertEquals("algebra", first.get("niche").get(0).asText());
    List<String> candidates = Files.readAllLines(Path.of(written.shard().candidatesFile()));
    assertEquals(4, candidates.size());
    assertEquals(
        List.of(true, false, true, false),
        candidates.stream()
            .map(l -> Json.read(l.getBytes(), JsonNode.class).get("kept").asBoolean())
            .toList());
    JsonNode sft =
        Json.MAPPER.readTree(Files.readAllLines(Path.of(written.shard().rftFile())).get(0));
    assertEquals("assistant", sft.get("messages").get(2).get("role").asText());
  }

  @Test
  void nearDuplicatesAcrossTheRunAreDroppedFromSparqShardsWithTheirReason() throws Exception {
    RunConfig config = config("  rollouts: 4\n", 2);
    activities.prepareRound(new PrepareRoundRequest("run", 0, config, 1));
    String text =
        "A train leaves the station at noon and travels at sixty miles per hour towards a"
            + " city two hundred miles away; when does it arrive if it stops for twenty minutes?";
    record("run", config, 0, 0, Niche.of("algebra"), 1, text);
    record("run", config, 0, 1, Niche.of("geometry"), 1, text + " ");
    SparqShard written = activities.writeShard(new SparqShardRequest("run", 0, 2, config, "v0"));
    assertEquals(1, written.shard().rows(), "the second copy is a near-duplicate of the first");
    Path dropped = Path.of(written.shard().datasetFile()).resolveSibling("round-0.dropped.jsonl");
    JsonNode line = Json.MAPPER.readTree(Files.readAllLines(dropped).get(0));
    assertEquals("run/round-0/prompt-1", line.get("key").asText());
    assertEquals("near-duplicate", line.get("dropped").asText());
    assertEquals("run/round-0/prompt-0", line.get("duplicateOf").asText());
  }
}
