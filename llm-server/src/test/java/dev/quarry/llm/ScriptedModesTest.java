package dev.quarry.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.PromptTemplates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each misbehaviour of the scripted server, as Quarry's real client sees it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScriptedModesTest {
  @TempDir Path temp;
  private ScriptedLlmServer server;
  private ChatModel model;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedLlmServer().stall(3_000).start("127.0.0.1", 0);
    model = new LlmChatModel(Duration.ofSeconds(1), temp.resolve("cache"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RoleConfig role(ScriptedMode mode, int maxTokens) {
    return new RoleConfig(
        server.baseUrl(mode) + "/v1", "scripted", 0.7, 0.95, maxTokens, List.of(), null, 4, 0);
  }

  private ChatModel.ChatReply solve(ScriptedMode mode, int n, long seed) throws Exception {
    return model.chat(role(mode, 64), PromptTemplates.solver("Add two numbers."), n, seed, null);
  }

  @Test
  void choicesAreShapedByTheMode() throws Exception {
    assertEquals(4, solve(ScriptedMode.NORMAL, 4, 1).choices().size());
    assertEquals(1, solve(ScriptedMode.IGNORE_N, 4, 1).choices().size());
    assertEquals(2, solve(ScriptedMode.FEWER, 4, 1).choices().size());

    ChatModel.ChatReply refused = solve(ScriptedMode.REFUSE, 4, 1);
    assertEquals(4, refused.choices().size());
    assertNull(refused.choices().get(1));
    assertEquals("content_filter", refused.finishReasons().get(1));
    assertEquals("stop", refused.finishReasons().get(0));

    ChatModel.ChatReply cut =
        model.chat(role(ScriptedMode.TRUNCATE, 5), PromptTemplates.solver("x"), 2, 1, null);
    assertEquals(20, cut.choices().get(0).length());
    assertEquals("length", cut.finishReasons().get(0));

    ChatModel.ChatReply other = solve(ScriptedMode.OTHER_MODEL, 1, 1);
    assertEquals(ScriptedMode.OTHER_MODEL_ID, other.model());
  }

  @Test
  void faultsThatARetryCuresHitOnceThenTheAnswerComes() throws Exception {
    // 429 (Retry-After 1 s), 500 and a stall past the read timeout are retried by the client.
    for (ScriptedMode mode :
        List.of(ScriptedMode.RATE_LIMITED, ScriptedMode.SERVER_ERROR, ScriptedMode.STALL)) {
      ChatModel.ChatReply reply = solve(mode, 2, 7);
      assertEquals(2, reply.choices().size(), mode.toString());
      assertTrue(reply.choices().get(0).contains("python"), mode + ": " + reply.choices().get(0));
    }
    // Malformed JSON is the server's fault, unavailable; the retry gets the answer.
    assertThrows(
        ChatModel.ChatUnavailableException.class, () -> solve(ScriptedMode.MALFORMED, 2, 7));
    assertEquals(2, solve(ScriptedMode.MALFORMED, 2, 7).choices().size());
  }

  @Test
  void anUnknownModeIsA404NamingTheKnownOnes() {
    RoleConfig bad =
        new RoleConfig(
            server.baseUrl() + "/mode/sulk/v1", "scripted", 0.7, 0.95, 64, List.of(), null, 4, 0);
    ChatModel.ChatRejectedException e =
        assertThrows(
            ChatModel.ChatRejectedException.class,
            () -> model.chat(bad, PromptTemplates.solver("x"), 1, 1, null));
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("ignore-n"), e.getMessage());
  }
}
