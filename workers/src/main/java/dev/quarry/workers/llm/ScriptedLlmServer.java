package dev.quarry.workers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.workers.http.HttpServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible endpoint (chat and raw completions) that answers at once from {@link
 * ScriptedReplies}: the stand-in model of the scale benchmark, where a real model would measure
 * the model instead of Quarry, and of the tests that need rows in every method's dataset. Requests are validated like the embedded server's (a bad one gets a 400 naming the
 * field), so the benchmark still exercises the real client, cache and parsing.
 */
public final class ScriptedLlmServer implements AutoCloseable {
  static final String MODEL_ID = "scripted";
  private static final int MAX_BODY_BYTES = 4 << 20;
  private static final int THREADS = 4;

  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong served = new AtomicLong();
  private final AtomicInteger threadCount = new AtomicInteger();
  private HttpServer http;
  private ExecutorService pool;
  private volatile long delayMillis;

  /**
   * Answers each chat request only after this long, like a model taking its time: lets a test
   * kill a worker while it holds LLM activities. Set before {@link #start}.
   */
  public synchronized ScriptedLlmServer delay(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("delay must be >= 0");
    }
    delayMillis = millis;
    return this;
  }

  public synchronized ScriptedLlmServer start(String host, int port) throws IOException {
    if (http != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer server = HttpServers.bind(host, port, 256);
    // Delayed answers wait in their threads: more of them, so the delay does not queue requests.
    pool = Executors.newFixedThreadPool(delayMillis > 0 ? 16 * THREADS : THREADS, r -> {
      Thread t = new Thread(r, "scripted-llm-" + threadCount.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
    http = server;
    return this;
  }

  public String baseUrl() {
    InetSocketAddress address = http.getAddress();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  /** Chat and text completions answered so far. */
  public long served() {
    return served.get();
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.stop(0);
      pool.shutdown();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      http = null;
    }
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case "/health", "/v1/health" -> {
          ObjectNode body = json.createObjectNode().put("status", "ok").put("model", MODEL_ID);
          send(ex, 200, body);
        }
        case "/v1/models", "/models" -> {
          ObjectNode body = json.createObjectNode().put("object", "list");
          body.putArray("data").addObject().put("id", MODEL_ID).put("object", "model").put("owned_by", "quarry");
          send(ex, 200, body);
        }
        case "/v1/chat/completions", "/chat/completions" -> {
          if (ex.getRequestMethod().equals("POST")) {
            chat(ex);
          } else {
            error(ex, 405, "use POST for " + path, null);
          }
        }
        case "/v1/completions", "/completions" -> {
          if (ex.getRequestMethod().equals("POST")) {
            completion(ex);
          } else {
            error(ex, 405, "use POST for " + path, null);
          }
        }
        default -> error(ex, 404, "no route " + path
            + "; the scripted server answers /v1/chat/completions and /v1/completions", null);
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or the answer could not be written: nothing left to tell it.
    }
  }

  private void chat(HttpExchange ex) throws IOException {
    JsonNode body = body(ex);
    if (body == null) {
      return;
    }
    OpenAiRequests.ChatCall call;
    try {
      call = OpenAiRequests.chat(body);
    } catch (OpenAiRequests.BadRequest e) {
      error(ex, 400, e.getMessage(), e.param);
      return;
    }
    ScriptedReplies.Reply reply = ScriptedReplies.answer(call);
    long id = served.incrementAndGet();
    ObjectNode out = json.createObjectNode();
    out.put("id", "chatcmpl-scripted-" + id);
    out.put("object", "chat.completion");
    out.put("created", 0);
    out.put("model", body.path("model").asText(MODEL_ID));
    ArrayNode choices = out.putArray("choices");
    for (int i = 0; i < reply.choices().size(); i++) {
      ObjectNode choice = choices.addObject();
      choice.put("index", i);
      choice.putObject("message").put("role", "assistant").put("content", reply.choices().get(i));
      choice.put("finish_reason", "stop");
    }
    sendWithUsage(ex, out, reply);
  }

  private void completion(HttpExchange ex) throws IOException {
    JsonNode body = body(ex);
    if (body == null) {
      return;
    }
    OpenAiRequests.CompletionCall call;
    try {
      call = OpenAiRequests.completion(body);
    } catch (OpenAiRequests.BadRequest e) {
      error(ex, 400, e.getMessage(), e.param);
      return;
    }
    ScriptedReplies.Reply reply = ScriptedReplies.complete(call);
    long id = served.incrementAndGet();
    ObjectNode out = json.createObjectNode();
    out.put("id", "cmpl-scripted-" + id);
    out.put("object", "text_completion");
    out.put("created", 0);
    out.put("model", body.path("model").asText(MODEL_ID));
    ArrayNode choices = out.putArray("choices");
    for (int i = 0; i < reply.choices().size(); i++) {
      choices.addObject().put("index", i).put("text", reply.choices().get(i)).put("finish_reason", "stop");
    }
    sendWithUsage(ex, out, reply);
  }

  /**
   * The request's JSON body after the configured delay, or null after answering 413/400 when it is
   * too big or not JSON (or when interrupted while waiting).
   */
  private JsonNode body(HttpExchange ex) throws IOException {
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return OpenAiHttp.readJson(ex, MAX_BODY_BYTES);
  }

  private void sendWithUsage(HttpExchange ex, ObjectNode out, ScriptedReplies.Reply reply) throws IOException {
    out.putObject("usage")
        .put("prompt_tokens", reply.promptTokens())
        .put("completion_tokens", reply.completionTokens())
        .put("total_tokens", reply.promptTokens() + reply.completionTokens());
    send(ex, 200, out);
  }

  private void error(HttpExchange ex, int status, String message, String param) throws IOException {
    OpenAiHttp.error(ex, status, param, message);
  }

  private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    OpenAiHttp.send(ex, status, body);
  }
}
