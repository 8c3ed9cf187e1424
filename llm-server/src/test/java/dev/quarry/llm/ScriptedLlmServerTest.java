package dev.quarry.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.CodeExtractor;
import dev.quarry.core.prompts.PromptTemplates;
import dev.quarry.core.prompts.TestInputParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted benchmark server through Quarry's real LLM client and parsers: every role gets an
 * answer the pipeline accepts, and the solver's programs really compute what the script says.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScriptedLlmServerTest {
  @TempDir Path temp;
  private ScriptedLlmServer server;
  private ChatModel model;
  private RoleConfig role;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedLlmServer().start("127.0.0.1", 0);
    // A fresh cache per test: every call below must reach the server.
    model = new LlmChatModel(Duration.ofSeconds(10), temp.resolve("cache"));
    role =
        new RoleConfig(server.baseUrl() + "/v1", "scripted", 0.7, 0.95, 64, List.of(), null, 4, 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void generatorGetsOneProblemPerCandidateDeterministically() throws Exception {
    var prompt = PromptTemplates.generator(List.of("sorting", "greedy"), List.of());
    ChatModel.ChatReply first = model.chat(role, prompt, 3, 11, null);
    assertEquals(3, first.choices().size());
    assertEquals(3, new HashSet<>(first.choices()).size(), "candidates of one prompt differ");
    first.choices().forEach(c -> assertTrue(c.contains("print a + b"), c));
    assertTrue(first.promptTokens() > 0 && first.completionTokens() > 0);

    // The same request again, on a fresh cache, gets the same reply.
    ChatModel.ChatReply again =
        new LlmChatModel(Duration.ofSeconds(10), temp.resolve("cache2"))
            .chat(role, prompt, 3, 11, null);
    assertEquals(first.choices(), again.choices());
    ChatModel.ChatReply otherSeed = model.chat(role, prompt, 3, 12, null);
    assertNotEquals(first.choices(), otherSeed.choices());
    assertEquals(3, server.served());
  }

  @Test
  void testWriterAnswersTheSchemaWithDistinctParseableInputs() throws Exception {
    ChatModel.ChatReply reply =
        model.chat(
            role,
            PromptTemplates.testWriter("Sum 1", 5),
            1,
            3,
            PromptTemplates.testInputsSchema(5));
    List<String> inputs = TestInputParser.parse(reply.choices().get(0), 5).orElseThrow();
    assertEquals(5, inputs.size(), reply.choices().get(0));
    for (String input : inputs) {
      assertTrue(input.matches("-?\\d+ -?\\d+\\n"), input);
    }
  }

  @Test
  void solverProgramsRunAndOneInFourIsWrong() throws Exception {
    ChatModel.ChatReply reply = model.chat(role, PromptTemplates.solver("Sum 1"), 4, 5, null);
    assertEquals(4, reply.choices().size());
    for (String choice : reply.choices()) {
      String program = CodeExtractor.program(choice);
      assertTrue(
          program.equals(ScriptedReplies.CORRECT_PROGRAM)
              || program.equals(ScriptedReplies.WRONG_PROGRAM),
          program);
    }
    // The programs compute what they claim: run both on 7 5 with the real interpreter.
    assertEquals("12", python(ScriptedReplies.CORRECT_PROGRAM, "7 5\n"));
    assertEquals("2", python(ScriptedReplies.WRONG_PROGRAM, "7 5\n"));

    // Which rollouts are wrong is fixed by (seed, index): over 100 seeds × 4 rollouts about a
    // quarter, and exactly the count the formula gives.
    int wrong = 0;
    int expected = 0;
    for (long seed = 0; seed < 100; seed++) {
      var rollouts =
          model.chat(role, PromptTemplates.solver("Sum " + seed), 4, seed, null).choices();
      for (int i = 0; i < 4; i++) {
        wrong +=
            CodeExtractor.program(rollouts.get(i)).equals(ScriptedReplies.WRONG_PROGRAM) ? 1 : 0;
        expected += Math.floorMod(ScriptedReplies.mix(seed, i), 4) == 0 ? 1 : 0;
      }
    }
    assertEquals(expected, wrong);
    assertTrue(wrong > 60 && wrong < 140, "wrong rollouts: " + wrong + " of 400");
  }

  @Test
  void badRequestIsRefusedWith400NamingTheField() throws Exception {
    // Quarry's client never sends n = 0, so this one goes over plain HTTP.
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("\"param\":\"n\""), response.body());
  }

  @Test
  void aDelayedServerAnswersAfterItsDelayAndManyAtOnce() throws Exception {
    try (ScriptedLlmServer slow = new ScriptedLlmServer().delay(400).start("127.0.0.1", 0)) {
      RoleConfig slowRole =
          new RoleConfig(slow.baseUrl() + "/v1", "scripted", 0.7, 0.95, 64, List.of(), null, 16, 0);
      ChatModel fresh = new LlmChatModel(Duration.ofSeconds(10), temp.resolve("slow-cache"));
      var prompt = PromptTemplates.generator(List.of("sorting"), List.of());
      long started = System.nanoTime();
      var calls = new ArrayList<CompletableFuture<ChatModel.ChatReply>>();
      for (int i = 0; i < 8; i++) {
        int seed = i;
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return fresh.chat(slowRole, prompt, 1, seed, null);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      calls.forEach(c -> assertEquals(1, c.join().choices().size()));
      double seconds = (System.nanoTime() - started) / 1e9;
      assertTrue(seconds >= 0.4, "answered after the delay: " + seconds);
      assertTrue(seconds < 3.0, "8 calls at once do not queue behind 4 threads: " + seconds);
      assertEquals(8, slow.served());
    }
  }

  @Test
  void slotsServeAtMostThatManyAtOnceAndTheRestWait() throws Exception {
    try (ScriptedLlmServer limited =
        new ScriptedLlmServer().delay(300).slots(2).start("127.0.0.1", 0)) {
      RoleConfig limitedRole =
          new RoleConfig(
              limited.baseUrl() + "/v1", "scripted", 0.7, 0.95, 64, List.of(), null, 16, 0);
      ChatModel fresh = new LlmChatModel(Duration.ofSeconds(10), temp.resolve("slots-cache"));
      var prompt = PromptTemplates.generator(List.of("sorting"), List.of());
      long started = System.nanoTime();
      var calls = new ArrayList<CompletableFuture<ChatModel.ChatReply>>();
      ExecutorService callers = Executors.newFixedThreadPool(6);
      for (int i = 0; i < 6; i++) {
        int seed = i;
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return fresh.chat(limitedRole, prompt, 1, seed, null);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                callers));
      }
      // While the first two hold the slots, the other four wait for one.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (limited.waiting() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(4, limited.waiting(), "requests past the 2 slots wait");
      assertEquals(2, limited.inFlight());
      calls.forEach(c -> assertEquals(1, c.join().choices().size()));
      callers.shutdown();
      double seconds = (System.nanoTime() - started) / 1e9;
      assertTrue(seconds >= 0.9, "6 requests through 2 slots of 300 ms take 3 turns: " + seconds);
      assertEquals(6, limited.served());
      assertEquals(2, limited.peakInFlight(), "never more than 2 at once");
      assertEquals(0, limited.waiting());
      assertTrue(
          limited.busySlotSeconds() >= 1.8 && limited.busySlotSeconds() < 3.0,
          "6 × 0.3 slot-seconds: " + limited.busySlotSeconds());
      HttpResponse<String> stats =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(limited.baseUrl() + "/stats")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertTrue(
          stats.body().contains("\"served\":6")
              && stats.body().contains("\"slots\":2")
              && stats.body().contains("\"peakInFlight\":2"),
          stats.body());
    }
  }

  @Test
  void negativeSlotsAreRefused() {
    Assertions.assertThrows(
        IllegalArgumentException.class, () -> new ScriptedLlmServer().slots(-1));
  }

  @Test
  void tokenCountsAreAQuarterOfTheCharactersRoundedUp() {
    assertEquals(1, ScriptedReplies.tokens(0));
    assertEquals(1, ScriptedReplies.tokens(4));
    assertEquals(2, ScriptedReplies.tokens(5));
    assertEquals(25, ScriptedReplies.tokens(100));
  }

  private static String python(String program, String stdin) throws Exception {
    Process process =
        new ProcessBuilder("python3", "-c", program).redirectErrorStream(true).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS));
    return out;
  }
}
