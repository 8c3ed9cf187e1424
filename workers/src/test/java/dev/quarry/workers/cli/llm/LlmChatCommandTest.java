package dev.quarry.workers.cli.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.llm.EmbeddedLlmServer;
import dev.quarry.llm.EmbeddedLlmServerTest;
import dev.quarry.llm.LlamaEngine;
import dev.quarry.llm.http.HttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code quarry llm chat} against the embedded server on the tiny GGUF, and its failure lines. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LlmChatCommandTest {
  private static final Pattern FIGURES =
      Pattern.compile(
          "\\[latency \\d+\\.\\d{3} s, prompt [1-9]\\d* tokens, completion \\d+ tokens,"
              + " \\d+\\.\\d tokens/s, model tiny-test\\]");

  private static EmbeddedLlmServer server;

  @BeforeAll
  static void start() throws IOException {
    LlamaEngine engine =
        LlamaEngine.load(
            new LlamaEngine.Options(EmbeddedLlmServerTest.tinyModel(), null, 0, 2, false));
    server = new EmbeddedLlmServer(engine, Duration.ofSeconds(5)).start(0);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Exit code, stdout and stderr of one run. */
  private record Result(int code, String out, String err) {}

  private static Result run(LlmChatCommand command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(command);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void printsTheReplyAndATokensLine() {
    Result r =
        run(
            new LlmChatCommand(),
            "--endpoint",
            server.baseUrl().toString(),
            "--model",
            "tiny-test",
            "--max-tokens",
            "8",
            "--temperature",
            "0",
            "--seed",
            "7",
            "Say",
            "hello");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(FIGURES.matcher(last).matches(), "figures line: " + last);
    assertTrue(lines.size() >= 2, "a reply line precedes the figures: " + r.out());
    assertEquals("", r.err());

    // Same seed, greedy: the same reply again (the request really carried the options).
    Result again =
        run(
            new LlmChatCommand(),
            "--endpoint",
            server.baseUrl() + "/v1",
            "--model",
            "tiny-test",
            "--max-tokens",
            "8",
            "--temperature",
            "0",
            "--seed",
            "7",
            "Say hello");
    assertEquals(0, again.code(), again.err());
    assertEquals(reply(r.out()), reply(again.out()));
  }

  private static String reply(String out) {
    return out.substring(0, out.stripTrailing().lastIndexOf('\n'));
  }

  @Test
  void unreachableEndpointIsOneLineAndExitCode1() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free now; nothing listens once it is closed
    }
    Result r =
        run(new LlmChatCommand(), "--endpoint", "http://127.0.0.1:" + port, "--model", "m", "hi");
    assertEquals(1, r.code());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("llm chat failed: "), r.err());
    assertTrue(r.err().contains("127.0.0.1:" + port), r.err());
    assertTrue(r.err().contains("connection refused"), r.err());
  }

  @Test
  void refusalShowsStatusAndServerMessageButNeverTheKey() throws IOException {
    String key = "sk-quarry-test-0123456789abcdef";
    AtomicReference<String> authorization = new AtomicReference<>();
    HttpServer stub = HttpServers.bind("127.0.0.1", 0, 0);
    stub.createContext(
        "/",
        ex -> {
          authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
          ex.getRequestBody().readAllBytes();
          byte[] body =
              ("{\"error\":{\"message\":\"Incorrect API key provided: "
                      + key
                      + "\",\"type\":\"invalid_request_error\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(401, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    stub.start();
    try {
      LlmChatCommand command = new LlmChatCommand();
      command.env = name -> name.equals("QUARRY_TEST_KEY") ? key : null;
      Result r =
          run(
              command,
              "--endpoint",
              "http://127.0.0.1:" + stub.getAddress().getPort(),
              "--model",
              "m",
              "--api-key-env",
              "QUARRY_TEST_KEY",
              "hi");
      assertEquals(1, r.code());
      assertEquals("Bearer " + key, authorization.get());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("llm chat failed: "), r.err());
      assertTrue(r.err().contains("HTTP 401"), r.err());
      assertTrue(r.err().contains("Incorrect API key provided"), r.err());
      assertFalse(r.err().contains(key) || r.out().contains(key), r.err());
    } finally {
      stub.stop(0);
    }
  }

  /**
   * The embedded server turns on TCP_NODELAY: with Nagle's algorithm the JDK server's separately
   * flushed headers and body made every kept-alive response wait for the client's delayed ACK (~44
   * ms each on Linux instead of ~1 ms).
   */
  @Test
  void keptAliveResponsesDoNotWaitForDelayedAcks() throws IOException {
    assertEquals("true", System.getProperty(HttpServers.NODELAY_PROPERTY));
    OkHttpClient http = new OkHttpClient();
    Request health = new Request.Builder().url(server.baseUrl() + "/health").build();
    long[] nanos = new long[15];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      try (Response r = http.newCall(health).execute()) {
        assertEquals(200, r.code());
        r.body().bytes();
      }
      nanos[i] = System.nanoTime() - start;
    }
    http.connectionPool().evictAll();
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    long medianMs = sorted[sorted.length / 2] / 1_000_000;
    assertTrue(medianMs < 30, "median GET /health " + medianMs + " ms: " + Arrays.toString(nanos));
  }

  /**
   * {@code quarry llm bench} on the tiny model: both modes agree and the ratio is the last line.
   */
  @Test
  void benchEndsWithTheRatioLine() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new LlmBenchCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code =
        cmd.execute(
            "--model", EmbeddedLlmServerTest.tinyModel().toString(),
            "--prompts", "3",
            "--max-tokens", "6",
            "--threads", "2");
    assertEquals(0, code, out + "\n" + err);
    List<String> lines = out.toString().lines().toList();
    assertTrue(lines.contains("texts match: yes (3/3)"), out.toString());
    assertTrue(
        lines.get(lines.size() - 1).matches("http_vs_inprocess=\\d+\\.\\d{3}"), out.toString());
  }

  @Test
  void missingKeyVariableIsAUsageError() {
    LlmChatCommand command = new LlmChatCommand();
    command.env = name -> null;
    Result r =
        run(
            command,
            "--endpoint",
            "http://127.0.0.1:9",
            "--model",
            "m",
            "--api-key-env",
            "NOPE",
            "hi");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("NOPE") && r.err().contains("not set"), r.err());
  }
}
