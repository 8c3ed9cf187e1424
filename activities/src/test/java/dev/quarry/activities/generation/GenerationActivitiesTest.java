package dev.quarry.activities.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.concepts.SeedRepository;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.core.artifacts.ProblemArtifact;
import dev.quarry.core.artifacts.RolloutsArtifact;
import dev.quarry.core.artifacts.TestInputsArtifact;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.SeedsConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.seeds.SeedFormat;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.activities.GenerateProblemsRequest;
import dev.quarry.workflows.activities.GeneratedProblems;
import dev.quarry.workflows.activities.GenerationActivities;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.SolveRequest;
import dev.quarry.workflows.activities.TestInputsRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
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

/** The LLM stages, with a scripted model: what is stored, and which failures are which. */
class GenerationActivitiesTest {
  @TempDir Path temp;
  private TestActivityEnvironment env;
  private FileArtifactStore store;
  private final List<Object> script = new ArrayList<>();

  /** The finish reasons of the next scripted replies (none: not reported). */
  private final List<List<String>> finishReasons = new ArrayList<>();

  /** (n, seed) of every request the model got. */
  private final List<long[]> requests = new ArrayList<>();

  static final RoleConfig ROLE =
      new RoleConfig("http://127.0.0.1:1/v1", "m", 0.5, 1.0, 64, List.of(), null, 4, 0);
  static final SeedsConfig SEEDS =
      new SeedsConfig(
          Path.of("../seeds/quarry-seeds.jsonl").toAbsolutePath().toString(), SeedFormat.QUARRY);

  /** Answers each call with the next scripted reply, or throws the next scripted exception. */
  private final ChatModel model =
      (role, messages, n, seed, schema) -> {
        requests.add(new long[] {n, seed});
        Object next = script.remove(0);
        if (next instanceof ChatModel.ChatRejectedException e) {
          throw e;
        }
        if (next instanceof ChatModel.ChatUnavailableException e) {
          throw e;
        }
        @SuppressWarnings("unchecked")
        List<String> choices = (List<String>) next;
        List<String> finish = finishReasons.isEmpty() ? null : finishReasons.remove(0);
        return new ChatModel.ChatReply(choices, 10, 5 * choices.size(), finish);
      };

  private GenerationActivities activities;

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    store = new FileArtifactStore(temp.resolve("artifacts"));
    env.registerActivitiesImplementations(
        new GenerationActivitiesImpl(model, store, new SeedRepository()));
    activities =
        env.newActivityStub(
            GenerationActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private GeneratedProblems generate() {
    return activities.generateProblems(
        new GenerateProblemsRequest(
            "k", new PromptSpec(0, List.of("graphs"), List.of("q001")), SEEDS, ROLE, "v0", 2, 9));
  }

  @Test
  void anEmptyReplyIsAskedForAgainAndStaysMissingWithoutAProblem() throws Exception {
    script.add(List.of("A hard problem.", "   "));
    script.add(List.of("")); // the further request brings nothing either: no more are sent
    GeneratedProblems problems = generate();
    assertEquals(2, problems.problems().size());
    assertNull(problems.problems().get(0).invalidReason());
    assertEquals(
        "generator reply missing: empty reply", problems.problems().get(1).invalidReason());
    assertNull(
        problems.problems().get(1).problem(), "no problem is stored for a reply that never came");
    assertEquals(2, problems.usage().requests());
    assertEquals(2, requests.size());
    assertEquals(1, requests.get(1)[0], "only the missing reply is asked for again");
    assertNotEquals(9, requests.get(1)[1], "the further request has its own seed");
    var stored = store.getJson(problems.problems().get(0).problem(), ProblemArtifact.class);
    assertEquals("A hard problem.", stored.statement());
    assertEquals(9, stored.sampling().seed());
    assertEquals(0, stored.sampling().choice());
    assertTrue(stored.prompt().stream().map(Message::content).anyMatch(c -> c.contains("graphs")));
  }

  @Test
  void aServerThatIgnoresNIsAskedUntilEveryReplyExistsEachWithTheSeedSent() throws Exception {
    script.add(List.of("First problem."));
    script.add(List.of("Second problem."));
    GeneratedProblems problems = generate();
    assertEquals(2, problems.problems().size());
    assertNull(problems.problems().get(1).invalidReason());
    var second = store.getJson(problems.problems().get(1).problem(), ProblemArtifact.class);
    assertEquals("Second problem.", second.statement());
    assertEquals(requests.get(1)[1], second.sampling().seed(), "the recorded seed is the one sent");
    assertNotEquals(9 + 1, second.sampling().seed(), "not seed + i, which was never sent");
  }

  @Test
  void aBadRequestMakesCandidatesInvalidWithTheServersReason() {
    script.add(new ChatModel.ChatRejectedException(400, "prompt is longer than the context"));
    GeneratedProblems problems = generate();
    assertTrue(
        problems.problems().get(0).invalidReason().contains("prompt is longer than the context"));
  }

  @Test
  void aRefusedKeyFailsWithoutRetryAndNamesTheFix() {
    script.add(new ChatModel.ChatRejectedException(401, "invalid api key"));
    ActivityFailure failure = assertThrows(ActivityFailure.class, this::generate);
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals(ActivityStubs.LLM_REJECTED, cause.getType());
    assertTrue(cause.isNonRetryable());
    assertTrue(cause.getOriginalMessage().contains("API key"), cause.getOriginalMessage());
  }

  @Test
  void anUnavailableEndpointIsARetryableFailure() {
    script.add(new ChatModel.ChatUnavailableException("503 from server", null));
    ActivityFailure failure = assertThrows(ActivityFailure.class, this::generate);
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals("LlmUnavailable", cause.getType());
    assertFalse(cause.isNonRetryable());
  }

  @Test
  void testInputsAndRolloutsAreParsedAndStored() throws Exception {
    script.add(List.of("A problem."));
    var problem =
        activities
            .generateProblems(
                new GenerateProblemsRequest(
                    "k", new PromptSpec(0, List.of("graphs"), List.of()), SEEDS, ROLE, "v0", 1, 1))
            .problems()
            .get(0)
            .problem();
    script.add(List.of("{\"inputs\": [\"1 2\", \"3 4\"]}"));
    var tests = activities.writeTestInputs(new TestInputsRequest("k", problem, ROLE, 2, 5));
    assertNull(tests.invalidReason());
    assertEquals(
        List.of("1 2\n", "3 4\n"), store.getJson(tests.tests(), TestInputsArtifact.class).inputs());

    script.add(List.of("no json at all"));
    assertEquals(
        "test writer gave no parseable inputs",
        activities
            .writeTestInputs(new TestInputsRequest("k", problem, ROLE, 2, 6))
            .invalidReason());

    script.add(List.of("```python\nprint(int(input())*2)\n```", "print(1)"));
    script.add(List.of()); // asked again for the third: the endpoint returns no choice
    var rollouts = activities.solve(new SolveRequest("k", problem, ROLE, 3, 7));
    RolloutsArtifact stored = store.getJson(rollouts.rollouts(), RolloutsArtifact.class);
    assertEquals(
        List.of("print(int(input())*2)\n", "print(1)\n"),
        stored.programs(),
        "only replies that exist become programs");
    assertEquals(List.of("the endpoint returned 0 of 1 choices asked for"), stored.missing());
    assertEquals(2, stored.sampling().size());
    assertEquals(1, stored.sampling().get(1).choice());
    assertEquals(2, rollouts.count());
  }

  @Test
  void aTruncatedRolloutIsAReplyWithItsFinishReason() throws Exception {
    script.add(List.of("A problem."));
    var problem =
        activities
            .generateProblems(
                new GenerateProblemsRequest(
                    "k", new PromptSpec(0, List.of("graphs"), List.of()), SEEDS, ROLE, "v0", 1, 1))
            .problems()
            .get(0)
            .problem();
    finishReasons.add(Arrays.asList("stop", "length", "content_filter"));
    script.add(List.of("print(1)", "print(2", "I cannot help with that."));
    script.add(List.of());
    var rollouts = activities.solve(new SolveRequest("k", problem, ROLE, 3, 7));
    RolloutsArtifact stored = store.getJson(rollouts.rollouts(), RolloutsArtifact.class);
    assertEquals(2, stored.programs().size(), "the cut reply is a reply; the filtered one is not");
    assertEquals("length", stored.sampling().get(1).finishReason());
    assertTrue(
        stored.missing().get(0).startsWith("refused by the endpoint")
            || stored.missing().get(0).startsWith("the endpoint returned"),
        stored.missing().toString());
  }
}
