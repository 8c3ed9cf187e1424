package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.llm.http.HttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible endpoint (chat and raw completions) that answers at once from {@link
 * ScriptedReplies}: the stand-in model of the scale benchmark, where a real model would measure the
 * model instead of Quarry, and of the tests that need rows in every method's dataset. Requests are
 * validated like the embedded server's (a bad one gets a 400 naming the field), so the benchmark
 * still exercises the real client, cache and parsing. In a {@link ScriptedMode} other than normal
 * it misbehaves as real endpoints do (ignores n, refuses, cuts at max_tokens, 429, 500, stalls,
 * malformed JSON, another model), for the endpoint conformance tests. With {@link #slots} it serves
 * at most that many completions at once and the rest wait for a slot, as a GPU server with a fixed
 * batch does: the pipeline benchmark's stand-in endpoint with latency L and C slots, whose bound is
 * C / L requests per second.
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
  private volatile ScriptedMode defaultMode = ScriptedMode.NORMAL;
  private volatile long stallMillis = 10_000;

  /** Completions served at once; 0: no limit. */
  private volatile int slotCount;

  private volatile Semaphore slots;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();

  /** Nanoseconds summed over served completions between taking and giving back a slot. */
  private final AtomicLong busyNanos = new AtomicLong();

  /**
   * Wall-clock milliseconds of the first completion's arrival and the last one's answer (0: none).
   */
  private final AtomicLong firstArrivalMillis = new AtomicLong();

  private final AtomicLong lastAnswerMillis = new AtomicLong();

  /** Requests already seen by a mode whose fault hits once (see {@link ScriptedMode}). */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /**
   * Answers each chat request only after this long, like a model taking its time: lets a test kill
   * a worker while it holds LLM activities. Set before {@link #start}.
   */
  public synchronized ScriptedLlmServer delay(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("delay must be >= 0");
    }
    delayMillis = millis;
    return this;
  }

  /** How every request without a {@code /mode/<name>} prefix is answered. */
  public synchronized ScriptedLlmServer mode(ScriptedMode mode) {
    defaultMode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** How long {@link ScriptedMode#STALL} holds a request's first answer back. */
  public synchronized ScriptedLlmServer stall(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("stall must be >= 0");
    }
    stallMillis = millis;
    return this;
  }

  /**
   * Serves at most {@code count} chat or text completions at once (0: no limit); the others wait
   * for a slot, in arrival order, before their delay starts. Set before {@link #start}.
   */
  public synchronized ScriptedLlmServer slots(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("slots must be >= 0");
    }
    if (http != null) {
      throw new IllegalStateException("set slots before start");
    }
    slotCount = count;
    slots = count == 0 ? null : new Semaphore(count, true);
    return this;
  }

  /** The base URL under which requests are answered in {@code mode}. */
  public String baseUrl(ScriptedMode mode) {
    return baseUrl() + "/mode/" + mode.wireName();
  }

  public synchronized ScriptedLlmServer start(String host, int port) throws IOException {
    if (http != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer server = HttpServers.bind(host, port, 256);
    // Delayed and stalled answers wait in their threads: more of them, so they do not queue others,
    // and more than the slots, so requests past the slots wait on the slots (counted as waiting).
    pool =
        Executors.newFixedThreadPool(
            Math.max(16 * THREADS, slotCount + 4 * THREADS),
            r -> {
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

  /** Completions holding a slot now (being delayed or answered). */
  public int inFlight() {
    return inFlight.get();
  }

  /** Completions waiting for a slot now. */
  public int waiting() {
    return waiting.get();
  }

  /** The most completions ever held at once. */
  public int peakInFlight() {
    return peakInFlight.get();
  }

  /** Slot-seconds spent on completions so far: busy fraction = its growth / (slots × seconds). */
  public double busySlotSeconds() {
    return busyNanos.get() / 1e9;
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
      ScriptedMode mode = defaultMode;
      if (path.startsWith("/mode/")) {
        int end = path.indexOf('/', "/mode/".length());
        String name =
            end < 0 ? path.substring("/mode/".length()) : path.substring("/mode/".length(), end);
        try {
          mode = ScriptedMode.fromWireName(name);
        } catch (IllegalArgumentException e) {
          error(ex, 404, e.getMessage(), null);
          return;
        }
        path = end < 0 ? "/" : path.substring(end);
      }
      switch (path) {
        case "/health", "/v1/health" -> {
          ObjectNode body =
              json.createObjectNode().put("status", "ok").put("model", modelId(mode, MODEL_ID));
          send(ex, 200, body);
        }
        case "/v1/models", "/models" -> {
          ObjectNode body = json.createObjectNode().put("object", "list");
          body.putArray("data")
              .addObject()
              .put("id", modelId(mode, MODEL_ID))
              .put("object", "model")
              .put("owned_by", "quarry");
          send(ex, 200, body);
        }
        case "/stats" -> send(ex, 200, stats());
        case "/v1/chat/completions", "/chat/completions" -> {
          if (ex.getRequestMethod().equals("POST")) {
            inSlot(ex, mode, this::chat);
          } else {
            error(ex, 405, "use POST for " + path, null);
          }
        }
        case "/v1/completions", "/completions" -> {
          if (ex.getRequestMethod().equals("POST")) {
            inSlot(ex, mode, this::completion);
          } else {
            error(ex, 405, "use POST for " + path, null);
          }
        }
        default ->
            error(
                ex,
                404,
                "no route "
                    + path
                    + "; the scripted server answers /v1/chat/completions and /v1/completions",
                null);
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or the answer could not be written: nothing left to tell it.
    }
  }

  private interface Answer {
    void answer(HttpExchange ex, ScriptedMode mode) throws IOException;
  }

  /** Answers a completion while holding one of the slots (when they are limited). */
  private void inSlot(HttpExchange ex, ScriptedMode mode, Answer answer) throws IOException {
    firstArrivalMillis.compareAndSet(0, System.currentTimeMillis());
    Semaphore limit = slots;
    if (limit != null) {
      waiting.incrementAndGet();
      try {
        limit.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        waiting.decrementAndGet();
      }
    }
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    long start = System.nanoTime();
    try {
      answer.answer(ex, mode);
    } finally {
      busyNanos.addAndGet(System.nanoTime() - start);
      lastAnswerMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
      inFlight.decrementAndGet();
      if (limit != null) {
        limit.release();
      }
    }
  }

  /** {@code GET /stats}: what the benchmark reads to tell how busy the endpoint was kept. */
  private ObjectNode stats() {
    return json.createObjectNode()
        .put("served", served.get())
        .put("slots", slotCount)
        .put("inFlight", inFlight.get())
        .put("waiting", waiting.get())
        .put("peakInFlight", peakInFlight.get())
        .put("busySlotSeconds", busySlotSeconds())
        .put("delayMs", delayMillis)
        // The window a client kept the server working in, without its own start-up and wind-down.
        .put("firstArrivalMillis", firstArrivalMillis.get())
        .put("lastAnswerMillis", lastAnswerMillis.get());
  }

  private static String modelId(ScriptedMode mode, String asked) {
    return mode == ScriptedMode.OTHER_MODEL ? ScriptedMode.OTHER_MODEL_ID : asked;
  }

  /**
   * The fault {@code mode} answers this request with, if it is one that hits once and this is the
   * first time the request is seen; true when the fault was the whole answer.
   */
  private boolean faulted(HttpExchange ex, ScriptedMode mode, JsonNode body) throws IOException {
    if (!mode.faultsOnce() || !seen.add(mode + " " + ex.getRequestURI().getPath() + " " + body)) {
      return false;
    }
    switch (mode) {
      case RATE_LIMITED -> {
        ex.getResponseHeaders().set("Retry-After", "1");
        OpenAiHttp.error(
            ex, 429, "rate_limit_error", null, "rate limited (scripted): retry after 1 s");
        return true;
      }
      case SERVER_ERROR -> {
        OpenAiHttp.error(ex, 500, "server_error", null, "internal error (scripted)");
        return true;
      }
      case MALFORMED -> {
        byte[] cut =
            "{\"id\":\"scripted\",\"choices\":[{\"index\":0,\"mess"
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, cut.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(cut);
        }
        return true;
      }
      case STALL -> {
        try {
          Thread.sleep(stallMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return true;
        }
        return false; // answer now: the client that waited this long has given up
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Choice {@code i}'s text as {@code mode} shapes it, and its finish reason; text null: refused.
   */
  private static String[] shaped(ScriptedMode mode, int i, String text, Integer maxTokens) {
    if (mode.refuses(i)) {
      return new String[] {null, "content_filter"};
    }
    if (mode == ScriptedMode.TRUNCATE && maxTokens != null && text.length() > 4L * maxTokens) {
      return new String[] {text.substring(0, 4 * maxTokens), "length"};
    }
    return new String[] {text, "stop"};
  }

  private void chat(HttpExchange ex, ScriptedMode mode) throws IOException {
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
    if (faulted(ex, mode, body)) {
      return;
    }
    ScriptedReplies.Reply reply =
        ScriptedReplies.answer(call, mode == ScriptedMode.MIXED_DIFFICULTY);
    long id = served.incrementAndGet();
    ObjectNode out = json.createObjectNode();
    out.put("id", "chatcmpl-scripted-" + id);
    out.put("object", "chat.completion");
    out.put("created", 0);
    out.put("model", modelId(mode, body.path("model").asText(MODEL_ID)));
    ArrayNode choices = out.putArray("choices");
    int count = Math.min(mode.choicesFor(call.params().n()), reply.choices().size());
    for (int i = 0; i < count; i++) {
      String[] shaped = shaped(mode, i, reply.choices().get(i), call.params().maxTokens());
      ObjectNode choice = choices.addObject();
      choice.put("index", i);
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      if (shaped[0] == null) {
        message.putNull("content");
        message.put("refusal", "I can't help with that request.");
      } else {
        message.put("content", shaped[0]);
      }
      choice.put("finish_reason", shaped[1]);
    }
    sendWithUsage(ex, out, reply);
  }

  private void completion(HttpExchange ex, ScriptedMode mode) throws IOException {
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
    if (faulted(ex, mode, body)) {
      return;
    }
    ScriptedReplies.Reply reply = ScriptedReplies.complete(call);
    long id = served.incrementAndGet();
    ObjectNode out = json.createObjectNode();
    out.put("id", "cmpl-scripted-" + id);
    out.put("object", "text_completion");
    out.put("created", 0);
    out.put("model", modelId(mode, body.path("model").asText(MODEL_ID)));
    ArrayNode choices = out.putArray("choices");
    int count = Math.min(mode.choicesFor(call.params().n()), reply.choices().size());
    for (int i = 0; i < count; i++) {
      String[] shaped = shaped(mode, i, reply.choices().get(i), call.params().maxTokens());
      choices
          .addObject()
          .put("index", i)
          .put("text", shaped[0] == null ? "" : shaped[0])
          .put("finish_reason", shaped[1]);
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

  private void sendWithUsage(HttpExchange ex, ObjectNode out, ScriptedReplies.Reply reply)
      throws IOException {
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
