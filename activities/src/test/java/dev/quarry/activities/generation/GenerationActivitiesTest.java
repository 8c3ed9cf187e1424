package dev.quarry.activities.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.concepts.SeedRepository;
import dev.quarry.activities.store.FileArtifactStore;
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

  static final RoleConfig ROLE = new RoleConfig("http://127.0.0.1:1/v1", "m", 0.5, 1.0, 64, List.of(), null, 4, 0);
  static final SeedsConfig SEEDS =
      new SeedsConfig(Path.of("../seeds/quarry-seeds.jsonl").toAbsolutePath().toString(), SeedFormat.QUARRY);

  /** Answers each call with the next scripted reply, or throws the next scripted exception. */
  private final ChatModel model =
      (role, messages, n, seed, schema) -> {
        Object next = script.remove(0);
        if (next instanceof ChatModel.ChatRejectedException e) {
          throw e;
        }
        if (next instanceof ChatModel.ChatUnavailableException e) {
          throw e;
        }
        @SuppressWarnings("unchecked")
        List<String> choices = (List<String>) next;
        return new ChatModel.ChatReply(choices, 10, 5 * choices.size());
      };

  private GenerationActivities activities;

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    store = new FileArtifactStore(temp.resolve("artifacts"));
    env.registerActivitiesImplementations(new GenerationActivitiesImpl(model, store, new SeedRepository()));
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
        new GenerateProblemsRequest("k", new PromptSpec(0, List.of("graphs"), List.of("q001")), SEEDS, ROLE, "v0", 2, 9));
  }

  @Test
  void problemsAreStoredAndAnEmptyOneIsInvalid() throws Exception {
    script.add(List.of("A hard problem.", "   "));
    GeneratedProblems problems = generate();
    assertEquals(2, problems.problems().size());
    assertNull(problems.problems().get(0).invalidReason());
    assertEquals("generator wrote an empty problem", problems.problems().get(1).invalidReason());
    assertEquals(1, problems.usage().requests());
    var stored = store.getJson(problems.problems().get(0).problem(), dev.quarry.core.artifacts.ProblemArtifact.class);
    assertEquals("A hard problem.", stored.statement());
    assertEquals(9, stored.sampling().seed());
    assertTrue(stored.prompt().stream().map(Message::content).anyMatch(c -> c.contains("graphs")));
  }

  @Test
  void aBadRequestMakesCandidatesInvalidWithTheServersReason() {
    script.add(new ChatModel.ChatRejectedException(400, "prompt is longer than the context"));
    GeneratedProblems problems = generate();
    assertTrue(problems.problems().get(0).invalidReason().contains("prompt is longer than the context"));
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
    var problem = activities.generateProblems(
        new GenerateProblemsRequest("k", new PromptSpec(0, List.of("graphs"), List.of()), SEEDS, ROLE, "v0", 1, 1))
        .problems().get(0).problem();
    script.add(List.of("{\"inputs\": [\"1 2\", \"3 4\"]}"));
    var tests = activities.writeTestInputs(new TestInputsRequest("k", problem, ROLE, 2, 5));
    assertNull(tests.invalidReason());
    assertEquals(List.of("1 2\n", "3 4\n"), store.getJson(tests.tests(), TestInputsArtifact.class).inputs());

    script.add(List.of("no json at all"));
    assertEquals("test writer gave no parseable inputs",
        activities.writeTestInputs(new TestInputsRequest("k", problem, ROLE, 2, 6)).invalidReason());

    script.add(List.of("```python\nprint(int(input())*2)\n```", "print(1)"));
    var rollouts = activities.solve(new SolveRequest("k", problem, ROLE, 3, 7));
    RolloutsArtifact stored = store.getJson(rollouts.rollouts(), RolloutsArtifact.class);
    assertEquals(List.of("print(int(input())*2)\n", "print(1)\n", ""), stored.programs(),
        "a missing choice becomes an empty program, recorded");
    assertEquals(3, rollouts.count());
  }
}
