package dev.quarry.activities.sparq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.MathProblemArtifact;
import dev.quarry.core.artifacts.MathRolloutsArtifact;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.sparq.Niche;
import dev.quarry.workflows.sparq.GenerateMathRequest;
import dev.quarry.workflows.sparq.GeneratedMath;
import dev.quarry.workflows.sparq.SkillTags;
import dev.quarry.workflows.sparq.SolveMathRequest;
import dev.quarry.workflows.sparq.SparqLlmActivities;
import dev.quarry.workflows.sparq.TagSkillsRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPARQ's LLM stages with a scripted model: prompts, schemas, parsing and what is stored. */
class SparqLlmActivitiesTest {
  @TempDir Path temp;
  private FileArtifactStore store;
  private TestActivityEnvironment env;
  private SparqLlmActivities activities;
  private final List<Object> script = new ArrayList<>();
  private final List<String> schemas = new ArrayList<>();
  private final List<List<Message>> prompts = new ArrayList<>();

  static final RoleConfig ROLE =
      new RoleConfig("http://127.0.0.1:1/v1", "m", 0.7, 1.0, 256, List.of(), null, 4, 0);

  private final ChatModel model =
      (role, messages, n, seed, schema) -> {
        schemas.add(schema);
        prompts.add(messages);
        Object next = script.remove(0);
        if (next instanceof ChatModel.ChatRejectedException e) {
          throw e;
        }
        @SuppressWarnings("unchecked")
        List<String> choices = (List<String>) next;
        return new ChatModel.ChatReply(choices, 20, 7);
      };

  @BeforeEach
  void setUp() {
    store = new FileArtifactStore(temp.resolve("artifacts"));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new SparqLlmActivitiesImpl(model, store));
    activities =
        env.newActivityStub(
            SparqLlmActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ArtifactRef parent() throws Exception {
    return store.putJson(MathProblemArtifact.seed("What is 2 + 3?", "5"));
  }

  private GeneratedMath generate(String reply) throws Exception {
    script.add(List.of(reply));
    return activities.generateProblem(
        new GenerateMathRequest("run/round-0/prompt-0", parent(), ROLE, "v0", 11));
  }

  @Test
  void theReferenceAnswerIsTheSolutionsBoxedAnswer() throws Exception {
    GeneratedMath g =
        generate(
            "{\"problem\":\"What is 2 + 3 + 4?\",\"solution\":\"2+3+4 = \\\\boxed{9}\",\"answer\":\"8\"}");
    assertNull(g.invalidReason());
    assertEquals(
        "9", g.referenceAnswer(), "the solution's final answer wins over the answer field");
    assertEquals(1, g.usage().requests());
    MathProblemArtifact stored = store.getJson(g.problem(), MathProblemArtifact.class);
    assertEquals("What is 2 + 3 + 4?", stored.problem());
    assertEquals(11, stored.sampling().seed());
    assertEquals("v0", stored.generatorVersion());
    assertTrue(
        prompts.get(0).get(1).content().contains("What is 2 + 3?"), "the parent is in the prompt");
    assertTrue(schemas.get(0).contains("\"problem\""), "the generator is asked for JSON by schema");
  }

  @Test
  void theAnswerFieldIsTheFallbackAndNoAnswerIsInvalid() throws Exception {
    assertEquals(
        "12",
        generate("{\"problem\":\"P\",\"solution\":\"work\",\"answer\":\"12\"}").referenceAnswer());
    GeneratedMath none = generate("{\"problem\":\"P\",\"solution\":\"work\",\"answer\":\"\"}");
    assertEquals("generator gave no final answer", none.invalidReason());
    assertNull(none.referenceAnswer());
    assertEquals(
        "generator reply is not the requested JSON object", generate("not json").invalidReason());
    assertEquals(
        "generator repeated its parent problem",
        generate("{\"problem\":\"what is 2 +  3?\",\"solution\":\"\\\\boxed{5}\",\"answer\":\"5\"}")
            .invalidReason());
    assertEquals(
        "generator wrote an empty problem",
        generate("{\"problem\":\" \",\"solution\":\"\\\\boxed{1}\",\"answer\":\"1\"}")
            .invalidReason());
  }

  @Test
  void aRefusedRequestMakesTheProblemInvalidWithTheReason() throws Exception {
    script.add(new ChatModel.ChatRejectedException(400, "prompt too long"));
    GeneratedMath g =
        activities.generateProblem(new GenerateMathRequest("k", parent(), ROLE, "v0", 1));
    assertTrue(
        g.invalidReason().startsWith("generator request rejected: 400 prompt too long"),
        g.invalidReason());
    assertEquals(0, g.usage().requests());
  }

  @Test
  void skillsAreConstrainedToTheVocabularyAndFormTheNiche() throws Exception {
    script.add(List.of("{\"skills\":[\"Counting\",\"topology\",\"algebra\",\"geometry\"]}"));
    SkillTags tags =
        activities.tagSkills(
            new TagSkillsRequest(
                "k", parent(), ROLE, List.of("algebra", "counting", "geometry"), 2, 3));
    assertEquals(List.of("Counting", "topology", "algebra", "geometry"), tags.tagged());
    assertEquals(Niche.of("algebra", "counting"), tags.niche(), "known skills only, the first 2");
    assertTrue(
        schemas.get(0).contains("\"enum\":[\"algebra\",\"counting\",\"geometry\"]"),
        schemas.get(0));
    assertTrue(schemas.get(0).contains("\"maxItems\":2"));
    script.add(List.of("garbage"));
    assertEquals(
        Niche.of(),
        activities
            .tagSkills(new TagSkillsRequest("k", parent(), ROLE, List.of("algebra"), 3, 3))
            .niche());
  }

  @Test
  void rolloutsKeepEveryTextAndItsFinalAnswer() throws Exception {
    script.add(List.of("so \\boxed{5}", "The answer is 6.", "hmm"));
    script.add(List.of()); // the missing fourth is asked for again and does not come
    var result = activities.solve(new SolveMathRequest("k", parent(), ROLE, 4, 20));
    assertEquals(3, result.count(), "only rollouts that exist");
    MathRolloutsArtifact stored = store.getJson(result.rollouts(), MathRolloutsArtifact.class);
    assertEquals(
        List.of("so \\boxed{5}", "The answer is 6.", "hmm"),
        stored.texts(),
        "a missing choice is no rollout, not an empty one");
    assertEquals(Arrays.asList("5", "6", null), stored.answers());
    assertEquals(List.of("the endpoint returned 0 of 1 choices asked for"), stored.missing());
    assertEquals(20, stored.sampling().get(2).seed(), "the seed sent, not seed + i");
    assertEquals(2, stored.sampling().get(2).choice());
    assertNull(schemas.get(0), "rollouts are free text");
  }
}
