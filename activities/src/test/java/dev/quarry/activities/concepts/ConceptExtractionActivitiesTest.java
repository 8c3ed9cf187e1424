package dev.quarry.activities.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.Json;
import dev.quarry.core.artifacts.ConceptExtractionArtifact;
import dev.quarry.core.artifacts.ConceptExtractionArtifact.Source;
import dev.quarry.core.config.ConceptsConfig;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.SeedsConfig;
import dev.quarry.core.prompts.ConceptExtractionPrompt;
import dev.quarry.core.seeds.SeedFormat;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.activities.ConceptActivities;
import dev.quarry.workflows.activities.ConceptExtractionActivities;
import dev.quarry.workflows.activities.ConceptMappingRef;
import dev.quarry.workflows.activities.ExtractConceptsRequest;
import dev.quarry.workflows.activities.ExtractConceptsResult;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.SamplePromptsRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concept extraction with a scripted model, and sampling from its result. */
class ConceptExtractionActivitiesTest {
  @TempDir Path temp;
  private TestActivityEnvironment env;
  private FileArtifactStore store;
  private final SeedRepository seeds = new SeedRepository();

  /** Reply per seed statement: a JSON text or an exception to throw. */
  private final Map<String, Object> script = new HashMap<>();

  private final List<Long> seedsAsked = new ArrayList<>();
  private final List<String> schemas = new ArrayList<>();

  static final RoleConfig ROLE =
      new RoleConfig("http://127.0.0.1:1/v1", "m", 0.2, 0.95, 128, List.of(), null, 4, 0);

  private final ChatModel model =
      (role, messages, n, seed, schema) -> {
        seedsAsked.add(seed);
        schemas.add(schema);
        String user = messages.get(1).content();
        String statement = user.substring(user.indexOf("Problem:\n") + 9);
        Object next = script.get(statement);
        if (next instanceof ChatModel.ChatRejectedException e) {
          throw e;
        }
        return new ChatModel.ChatReply(List.of((String) next), 100, 10);
      };

  private ConceptExtractionActivities extraction;
  private ConceptActivities concepts;
  private SeedsConfig seedsConfig;

  @BeforeEach
  void setUp() throws Exception {
    Path file = temp.resolve("seeds.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\":\"a\",\"statement\":\"Answer range sums over a grid graph.\",\"difficulty\":2}",
            "{\"id\":\"b\",\"statement\":\"Too long for the model.\",\"concepts\":[\"sorting\"],\"difficulty\":4}",
            "{\"id\":\"c\",\"statement\":\"Count paths with prefix sums.\",\"concepts\":[\"dp\"],\"difficulty\":3}",
            ""));
    seedsConfig = new SeedsConfig(file.toString(), SeedFormat.QUARRY);
    script.put(
        "Answer range sums over a grid graph.", "{\"concepts\": [\"Prefix Sums\", \"Graphs\"]}");
    script.put(
        "Too long for the model.",
        new ChatModel.ChatRejectedException(400, "prompt exceeds context"));
    script.put(
        "Count paths with prefix sums.",
        "{\"concepts\": [\"prefix-sum\", \"graph\", \"Counting\"]}");

    env = TestActivityEnvironment.newInstance();
    store = new FileArtifactStore(temp.resolve("artifacts"));
    env.registerActivitiesImplementations(
        new ConceptExtractionActivitiesImpl(model, store, seeds),
        new ConceptActivitiesImpl(seeds, store));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    extraction = env.newActivityStub(ConceptExtractionActivities.class, options);
    concepts = env.newActivityStub(ConceptActivities.class, options);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void extractsMergesAndFallsBackPerSeed() throws Exception {
    ExtractConceptsResult result =
        extraction.extractConcepts(
            new ExtractConceptsRequest("run/round-0", seedsConfig, ROLE, 99));
    assertEquals(3, result.seeds());
    assertEquals(2, result.extracted());
    assertEquals(1, result.fellBack());
    assertEquals(0, result.withoutConcepts());
    assertEquals(5, result.rawNames());
    // graph, prefix sum, counting (extracted) and sorting (b's given concept).
    assertEquals(4, result.canonicalConcepts());
    assertEquals(
        200, result.usage().promptTokens(), "two answered calls; the refused one cost nothing");
    assertEquals(
        ConceptExtractionPrompt.schema(), schemas.get(0), "the reply is constrained to the schema");
    assertEquals(3, Set.copyOf(seedsAsked).size(), "each seed problem has its own sampling seed");
    assertEquals(ConceptExtractionActivitiesImpl.seedFor(99, "a"), seedsAsked.get(0));

    ConceptExtractionArtifact artifact =
        store.getJson(result.extraction(), ConceptExtractionArtifact.class);
    assertEquals(List.of("prefix sum", "graph"), artifact.seeds().get(0).concepts());
    assertEquals(Source.GIVEN, artifact.seeds().get(1).source());
    assertEquals(List.of("sorting"), artifact.seeds().get(1).concepts());
    assertTrue(artifact.seeds().get(1).error().contains("400"), artifact.seeds().get(1).error());
    assertEquals("prefix sum", artifact.rawToCanonical().get("Prefix Sums"));

    // The same request again (a retry, a later round) stores the same artifact.
    assertEquals(
        result.extraction(),
        extraction
            .extractConcepts(new ExtractConceptsRequest("run/round-1", seedsConfig, ROLE, 99))
            .extraction());
  }

  @Test
  void samplingUsesExtractedConceptsAndWritesTheMappingFile() throws Exception {
    ExtractConceptsResult result =
        extraction.extractConcepts(
            new ExtractConceptsRequest("run/round-0", seedsConfig, ROLE, 99));
    Path output = temp.resolve("datasets");
    List<PromptSpec> prompts =
        concepts.samplePrompts(
            new SamplePromptsRequest(
                seedsConfig,
                new ConceptsConfig(0.2, 3, 1, true),
                6,
                5,
                new ConceptMappingRef(result.extraction(), "run-1", output.toString())));
    assertEquals(6, prompts.size());
    Set<String> graphConcepts = Set.of("prefix sum", "graph", "counting", "sorting");
    for (PromptSpec p : prompts) {
      assertTrue(graphConcepts.containsAll(p.concepts()), p.concepts().toString());
      assertTrue(
          !p.concepts().contains("dp"), "c's given concept was replaced by its extracted ones");
    }
    Path mapping = output.resolve("run-1").resolve("concepts-mapping.json");
    JsonNode file = Json.MAPPER.readTree(Files.readAllBytes(mapping));
    assertEquals("prefix sum", file.at("/rawToCanonical/prefix-sum").asText());
    assertEquals("GIVEN", file.at("/seeds/1/source").asText());
    assertEquals(
        List.of("Prefix Sums", "prefix-sum"),
        Json.MAPPER.convertValue(file.at("/groups/prefix sum"), List.class));
  }

  @Test
  void aRefusedKeyFailsTheRun() {
    script.put(
        "Answer range sums over a grid graph.",
        new ChatModel.ChatRejectedException(401, "bad key"));
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () ->
                extraction.extractConcepts(
                    new ExtractConceptsRequest("run/round-0", seedsConfig, ROLE, 99)));
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals(ActivityStubs.LLM_REJECTED, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("conceptExtractor"), cause.getOriginalMessage());
  }

  @Test
  void seedsForExtractionDependOnTheIdNotThePosition() {
    assertEquals(
        ConceptExtractionActivitiesImpl.seedFor(1, "q001"),
        ConceptExtractionActivitiesImpl.seedFor(1, "q001"));
    assertNotEquals(
        ConceptExtractionActivitiesImpl.seedFor(1, "q001"),
        ConceptExtractionActivitiesImpl.seedFor(1, "q002"));
  }
}
