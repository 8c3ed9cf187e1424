package dev.quarry.activities.scalequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.scalequest.QpoDirection;
import dev.quarry.core.scalequest.QuestionArtifact;
import dev.quarry.core.scalequest.SolvabilityVerdict;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.scalequest.DifficultyOutcome;
import dev.quarry.workflows.scalequest.DifficultyRequest;
import dev.quarry.workflows.scalequest.FilterOutcome;
import dev.quarry.workflows.scalequest.GeneratedQuestion;
import dev.quarry.workflows.scalequest.JudgeOutcome;
import dev.quarry.workflows.scalequest.JudgeRequest;
import dev.quarry.workflows.scalequest.QuestionRecord;
import dev.quarry.workflows.scalequest.QuestionRequest;
import dev.quarry.workflows.scalequest.ResponsesOutcome;
import dev.quarry.workflows.scalequest.ResponsesRequest;
import dev.quarry.workflows.scalequest.RewriteOutcome;
import dev.quarry.workflows.scalequest.RewriteRequest;
import dev.quarry.workflows.scalequest.ScaleQuestActivities;
import dev.quarry.workflows.scalequest.ScaleQuestDatasetActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ScaleQuest's LLM stages and shard writer, with a scripted model: what is parsed, stored and
 * written.
 */
class ScaleQuestActivitiesTest {
  @TempDir Path temp;
  private TestActivityEnvironment env;
  private FileArtifactStore store;
  private ScaleQuestActivities activities;
  private ScaleQuestDatasetActivities dataset;
  private final List<Object> script = new ArrayList<>();
  private final List<String> completedPrompts = new ArrayList<>();
  private final List<List<String>> completedStops = new ArrayList<>();
  private final List<String> schemas = new ArrayList<>();

  static final RoleConfig ROLE =
      new RoleConfig("http://127.0.0.1:1/v1", "m", 0.5, 1.0, 64, List.of("###"), null, 4, 0);

  private ChatModel.ChatReply next() throws ChatModel.ChatRejectedException {
    Object next = script.remove(0);
    if (next instanceof ChatModel.ChatRejectedException e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    List<String> choices = (List<String>) next;
    return new ChatModel.ChatReply(choices, 10, 5 * choices.size());
  }

  private final ChatModel model =
      new ChatModel() {
        @Override
        public ChatReply chat(
            RoleConfig role, List<Message> messages, int n, long seed, String jsonSchema)
            throws ChatRejectedException {
          schemas.add(jsonSchema);
          return next();
        }

        @Override
        public ChatReply complete(
            RoleConfig role, String prompt, List<String> stop, int n, long seed)
            throws ChatRejectedException {
          completedPrompts.add(prompt);
          completedStops.add(stop);
          return next();
        }
      };

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    store = new FileArtifactStore(temp.resolve("artifacts"));
    env.registerActivitiesImplementations(
        new ScaleQuestActivitiesImpl(model, store),
        new ScaleQuestDatasetActivitiesImpl(new RecordStore(temp.resolve("records")), store));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    activities = env.newActivityStub(ScaleQuestActivities.class, options);
    dataset = env.newActivityStub(ScaleQuestDatasetActivities.class, options);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private GeneratedQuestion generate(String reply) {
    script.add(List.of(reply));
    return activities.generateQuestion(
        new QuestionRequest(
            "run/round-0/prompt-0",
            ROLE,
            "<prefix>",
            List.of("<|im_end|>", "###"),
            "v0",
            9,
            0.9,
            0.1));
  }

  @Test
  void theQuestionIsARawCompletionOfThePrefixAndIsLanguageChecked() throws Exception {
    GeneratedQuestion q = generate("  What is the sum of 3 and 4?\n");
    assertEquals(List.of("<prefix>"), completedPrompts);
    assertEquals(
        List.of(List.of("###", "<|im_end|>")), completedStops, "role stops first, no duplicates");
    assertNull(q.invalidReason());
    assertTrue(q.language().english());
    QuestionArtifact stored = store.getJson(q.question(), QuestionArtifact.class);
    assertEquals("What is the sum of 3 and 4?", stored.question());
    assertEquals("<prefix>", stored.prefix());
    assertEquals(9, stored.sampling().seed());
    assertEquals(1, q.usage().requests());

    GeneratedQuestion french = generate("Trouvez la somme des entiers");
    assertFalse(french.language().english());
    script.add(List.of("  ")); // asked again for the empty question: empty again
    GeneratedQuestion empty = generate("   ");
    assertEquals("generator reply missing: empty reply", empty.invalidReason());
    assertNull(empty.question(), "no question is stored that the generator did not write");
  }

  @Test
  void missingSolverSamplesAreInNoDenominatorAndTooFewMakeTheQuestionInvalid() throws Exception {
    GeneratedQuestion q = generate("What is 2 + 2?");
    String key = "run/round-0/prompt-0";
    // 4 asked, 2 come back (both say 4), the 2 asked for again never come.
    script.add(List.of("\\boxed{4}", "\\boxed{4}"));
    script.add(List.of());
    DifficultyOutcome two =
        activities.measureDifficulty(new DifficultyRequest(key, q.question(), ROLE, 4, 5));
    assertTrue(two.failRate().valid());
    assertEquals(2, two.failRate().samples());
    assertEquals(2, two.failRate().missing());
    assertEquals(0.0, two.failRate().failRate(), 0, "missing samples are not failures");

    // A content filter refuses 3 of 4, and again on the further request: 1 < minimum 2.
    script.add(List.of("\\boxed{4}", "", "", ""));
    script.add(List.of(""));
    DifficultyOutcome one =
        activities.measureDifficulty(new DifficultyRequest(key, q.question(), ROLE, 4, 6));
    assertFalse(one.failRate().valid());
    assertEquals("too few solver replies: 1 of 4 < minimum 2", one.failRate().invalidReason());
    assertFalse(one.failRate().within(0, 1));

    // Every sample exists, none states an answer: not hard, invalid.
    script.add(List.of("I give up", "no idea"));
    DifficultyOutcome none =
        activities.measureDifficulty(new DifficultyRequest(key, q.question(), ROLE, 2, 7));
    assertEquals("no solver reply states a final answer", none.failRate().invalidReason());
    assertFalse(none.failRate().within(0, 1));
  }

  @Test
  void refusalsAreOutcomesOrStopTheRun() {
    script.add(new ChatModel.ChatRejectedException(400, "prompt too long\nmore"));
    GeneratedQuestion q =
        activities.generateQuestion(
            new QuestionRequest("k/prompt-1", ROLE, "p", List.of(), "v0", 1, 0.9, 0.1));
    assertEquals("generator request rejected: 400 prompt too long", q.invalidReason());

    script.add(new ChatModel.ChatRejectedException(401, "bad key"));
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () ->
                activities.generateQuestion(
                    new QuestionRequest("k/prompt-2", ROLE, "p", List.of(), "v0", 1, 0.9, 0.1)));
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals(ActivityStubs.LLM_REJECTED, cause.getType());
  }

  @Test
  void stagesParseVerdictsFailRatesRewardsAndRewrites() throws Exception {
    GeneratedQuestion q = generate("What is 2 + 2?");
    String key = "run/round-0/prompt-0";

    script.add(List.of("Yes, it mentions numbers. But wait.\nVerdict: unsolvable"));
    JudgeOutcome judge = activities.judgeSolvability(new JudgeRequest(key, q.question(), ROLE, 3));
    assertEquals(
        SolvabilityVerdict.UNSOLVABLE, judge.verdict(), "the final verdict, not the first yes");

    // Answers 4, 4.0, 5 and none: majority 4 with 2 of 4 agreeing → fail rate 1 − 2/4 = 0.5.
    script.add(List.of("\\boxed{4}", "so \\boxed{4.0}", "\\boxed{5}", "I give up"));
    DifficultyOutcome difficulty =
        activities.measureDifficulty(new DifficultyRequest(key, q.question(), ROLE, 4, 5));
    assertEquals(0.5, difficulty.failRate().failRate(), 1e-12);
    assertEquals("4", difficulty.failRate().reference());
    assertEquals(3, difficulty.failRate().answered());

    // Three responses, scored 3, 8 and unusable: the second is best, and it states an answer.
    script.add(List.of("\\boxed{3}", "2 + 2 = 4. The answer is 4.", "four-ish"));
    script.add(List.of("{\"score\": 3}"));
    script.add(List.of("{\"score\": 8}"));
    script.add(List.of("great answer"));
    ResponsesOutcome responses =
        activities.bestOfNResponses(new ResponsesRequest(key, q.question(), ROLE, ROLE, 3, 7));
    assertEquals(Arrays.asList(3.0, 8.0, null), responses.scores());
    assertEquals(1, responses.best());
    assertTrue(responses.answerPresent());
    assertEquals("4", responses.bestAnswer());
    assertEquals(3, responses.rewardUsage().requests());
    assertEquals(1, responses.solverUsage().requests());
    assertTrue(
        schemas.get(schemas.size() - 1).contains("\"score\""),
        "reward replies are schema-constrained");

    script.add(List.of("What is 2 + 2 + 2?"));
    RewriteOutcome rewrite =
        activities.rewriteQuestion(
            new RewriteRequest(key, q.question(), ROLE, QpoDirection.DIFFICULTY, 11, 0.9, 0.1));
    assertTrue(rewrite.makesPair());
    script.add(List.of(" What is  2 + 2? "));
    assertEquals(
        "rewrite is identical to the original",
        activities
            .rewriteQuestion(
                new RewriteRequest(key, q.question(), ROLE, QpoDirection.SOLVABILITY, 12, 0.9, 0.1))
            .unusableReason());
    script.add(List.of("Quelle est la somme de deux et deux"));
    assertEquals(
        "rewrite is not English: English function words 0.00 < 0.10",
        activities
            .rewriteQuestion(
                new RewriteRequest(key, q.question(), ROLE, QpoDirection.SOLVABILITY, 13, 0.9, 0.1))
            .unusableReason());

    // Kept (as if the judge had agreed) → a dataset row, a QFT row and a DPO pair.
    JudgeOutcome solvable =
        new JudgeOutcome(SolvabilityVerdict.SOLVABLE, judge.reply(), null, judge.usage());
    List<FilterOutcome> filters =
        List.of(
            new FilterOutcome("language", true, "latinShare=1.00"),
            new FilterOutcome("solvability", true, "solvable"),
            new FilterOutcome("difficulty", true, "failRate=0.500"),
            new FilterOutcome("answerPresent", true, "best response 1 answers 4"));
    dataset.recordQuestion(
        new QuestionRecord(
            "run",
            0,
            0,
            "v0",
            q,
            solvable,
            difficulty,
            responses,
            rewrite,
            filters,
            true,
            null,
            Usage.ZERO));
    // Rejected by the judge, no rewrite: a question row only.
    List<FilterOutcome> rejected =
        List.of(
            new FilterOutcome("language", true, "latinShare=1.00"),
            new FilterOutcome("solvability", false, "unsolvable"),
            FilterOutcome.notRun("difficulty"),
            FilterOutcome.notRun("answerPresent"));
    dataset.recordQuestion(
        new QuestionRecord(
            "run",
            0,
            1,
            "v0",
            q,
            judge,
            null,
            null,
            null,
            rejected,
            false,
            "solvability: unsolvable",
            Usage.ZERO));

    RunConfig config =
        RunConfigLoader.parse(
            "method: scalequest\noutputDir: " + temp.resolve("out") + "\n", "test");
    var shard = dataset.writeShard(new ShardRequest("run", 0, 2, config, "v0"));
    assertEquals(1, shard.rows());
    assertEquals(2, shard.candidates());

    List<String> rows = Files.readAllLines(Path.of(shard.datasetFile()));
    assertEquals(1, rows.size());
    JsonNode row = Json.MAPPER.readTree(rows.get(0));
    assertEquals("run/round-0/prompt-0", row.get("key").asText());
    assertEquals("scalequest", row.get("method").asText());
    assertEquals("<prefix>", row.get("prompt").asText());
    assertEquals("What is 2 + 2?", row.get("question").asText());
    assertEquals("2 + 2 = 4. The answer is 4.", row.get("response").asText());
    assertEquals(8.0, row.get("rewardScore").asDouble(), 0);
    assertEquals(0.5, row.get("failRate").asDouble(), 0);
    assertEquals("solvable", row.get("judgeVerdict").asText());
    assertTrue(row.get("filters").get("difficulty").get("passed").asBoolean());
    assertEquals(9, row.get("sampling").get("generator").get("seed").asInt());

    List<String> questions = Files.readAllLines(Path.of(shard.candidatesFile()));
    JsonNode second = Json.MAPPER.readTree(questions.get(1));
    assertEquals("solvability: unsolvable", second.get("invalidReason").asText());
    assertFalse(second.get("filters").get("solvability").get("passed").asBoolean());
    assertTrue(second.get("filters").get("difficulty").get("passed").isNull());
    assertFalse(second.get("filters").get("difficulty").get("ran").asBoolean());

    JsonNode qft = Json.MAPPER.readTree(Files.readAllLines(Path.of(shard.rftFile())).get(0));
    assertEquals("<prefix>", qft.get("prompt").asText());
    assertEquals("What is 2 + 2?", qft.get("completion").asText());

    Path dpoFile =
        ScaleQuestDatasetActivitiesImpl.dpoFile(Path.of(shard.datasetFile()).getParent(), 0);
    List<String> pairs = Files.readAllLines(dpoFile);
    assertEquals(1, pairs.size());
    JsonNode pair = Json.MAPPER.readTree(pairs.get(0));
    assertEquals("<prefix>", pair.get("prompt").asText());
    assertEquals("What is 2 + 2 + 2?", pair.get("chosen").asText());
    assertEquals("What is 2 + 2?", pair.get("rejected").asText());
    assertEquals(3, pair.size(), "only TRL's columns");
  }
}
