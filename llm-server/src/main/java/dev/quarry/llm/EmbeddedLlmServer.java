package dev.quarry.llm;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.llm.http.HttpServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server in front of one {@link LlamaEngine}, on the JDK's built-in HTTP
 * server, so that a default Quarry run needs neither a GPU nor an external inference server.
 *
 * <p>Routes: {@code GET /v1/models}, {@code POST /v1/chat/completions} (the model's chat template
 * applied to system/user/assistant messages), {@code POST /v1/completions} (raw prompt), {@code GET
 * /health}. Supported: {@code n} (sequential samples with seeds {@code seed, seed+1, …}), {@code
 * seed}, {@code temperature}, {@code top_p}, {@code max_tokens}, {@code stop}, and {@code
 * response_format} {@code json_schema} or {@code json_object} (grammar-constrained sampling), plus
 * llama.cpp's {@code top_k} and {@code min_p}. Usage counts come from the model's tokenizer.
 * Without a seed, a random one is drawn per request.
 *
 * <p>Errors use OpenAI's shape {@code {"error": {"message", "type", "param", "code"}}}: 400 for
 * anything wrong with a request, 404/405 for unknown routes and methods, 413 for oversized bodies,
 * 503 while shutting down, 500 only for the server's own failures.
 *
 * <p>Up to {@link LlamaEngine#slots()} generations run at once (one by default); further requests
 * queue in the engine in arrival order. {@link #close()} stops accepting, lets running requests
 * finish (up to the grace period), then frees the model.
 *
 * <p>Retrained versions: after {@link #serveRegistry}, a request whose {@code model} is a registry
 * name ({@code registry/RUN/vN}, as the Python trainer returns) is answered by that GGUF, loaded on
 * demand (see {@link RegistryModels}); any other {@code model} is answered by the default model, as
 * before, and {@code /v1/models} lists both.
 */
public final class EmbeddedLlmServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedLlmServer.class);
  static final int MAX_BODY_BYTES = 16 << 20;
  private static final int MIN_HTTP_THREADS = 8;
  private final LlamaEngine engine;
  private final JsonSchemaGrammars grammars;
  private final Duration shutdownGrace;
  private final ObjectMapper json;
  private HttpServer http;
  private ExecutorService executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;
  private volatile RegistryModels registry;

  /** A server for {@code engine}, which it owns and closes. */
  public EmbeddedLlmServer(LlamaEngine engine) {
    this(engine, Duration.ofSeconds(30));
  }

  public EmbeddedLlmServer(LlamaEngine engine, Duration shutdownGrace) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    this.grammars = new JsonSchemaGrammars(Duration.ofSeconds(60));
    this.json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.json
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
  }

  /** Loads the model and returns a server for it (not yet started). */
  public static EmbeddedLlmServer load(LlamaEngine.Options options) throws IOException {
    return new EmbeddedLlmServer(LlamaEngine.load(options));
  }

  /** Listens on 127.0.0.1:{@code port} (0 = any free port). */
  public EmbeddedLlmServer start(int port) throws IOException {
    return start("127.0.0.1", port);
  }

  public synchronized EmbeddedLlmServer start(String host, int port) throws IOException {
    if (http != null) {
      throw new IllegalStateException("already started");
    }
    if (closing) {
      throw new IllegalStateException("closed");
    }
    HttpServer server = HttpServers.bind(host, port, 64);
    AtomicInteger n = new AtomicInteger();
    // Enough threads that every slot can be busy while other requests are read, templated,
    // tokenized and answered.
    int threads = Math.max(MIN_HTTP_THREADS, 2 * engine.slots());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "llm-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
    this.http = server;
    this.executor = pool;
    log.info(
        "serving {} on {} ({} slot{})",
        engine.modelId(),
        baseUrl(),
        engine.slots(),
        engine.slots() == 1 ? "" : "s");
    return this;
  }

  /**
   * Serves the registry's retrained models (MODELS_DIR/registry/RUN/vN/model.gguf) to requests that
   * name them, with this server's context size.
   */
  public EmbeddedLlmServer serveRegistry(Path modelsDir) {
    this.registry =
        new RegistryModels(
            modelsDir, new LlamaEngine.Options(modelsDir, null, engine.contextSize(), 0, false, 1));
    return this;
  }

  public int port() {
    return requireStarted().getAddress().getPort();
  }

  /** {@code http://host:port}; clients add {@code /v1/...}. */
  public URI baseUrl() {
    InetSocketAddress a = requireStarted().getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort());
  }

  public String modelId() {
    return engine.modelId();
  }

  private HttpServer requireStarted() {
    HttpServer s = http;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s;
  }

  /** Stops accepting, waits up to the grace period for running requests, then frees the model. */
  @Override
  public void close() {
    HttpServer s;
    ExecutorService pool;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      s = http;
      pool = executor;
    }
    if (s != null) {
      log.info("stopping the LLM server (grace {} s)", shutdownGrace.toSeconds());
      awaitInFlight();
      // stop(0), not stop(grace): on JDK 17 stop(n) waits all n seconds when nothing is in flight
      // (JDK-8304065), so the wait for running requests is done above instead.
      s.stop(0);
    }
    if (pool != null) {
      pool.shutdown();
      try {
        if (!pool.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pool.shutdownNow();
      }
    }
    engine.close();
    if (registry != null) {
      registry.close();
    }
    log.info("LLM server stopped");
  }

  /** Waits until no request is being handled, or the grace period is over. */
  private void awaitInFlight() {
    long deadline = System.nanoTime() + shutdownGrace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (inFlight.get() > 0) {
      log.warn("{} request(s) still running after the grace period", inFlight.get());
    }
  }

  // ---------------------------------------------------------------- routing

  private void handle(HttpExchange ex) {
    inFlight.incrementAndGet();
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      switch (path) {
        case "/health", "/v1/health" -> {
          if (allow(ex, method, "GET")) {
            health(ex);
          }
        }
        case "/v1/models", "/models" -> {
          if (allow(ex, method, "GET")) {
            models(ex);
          }
        }
        case "/v1/chat/completions", "/chat/completions" -> {
          if (allow(ex, method, "POST")) {
            chat(ex);
          }
        }
        case "/v1/completions", "/completions" -> {
          if (allow(ex, method, "POST")) {
            completions(ex);
          }
        }
        default -> error(ex, 404, "not_found_error", null, "no route " + path);
      }
    } catch (Throwable t) { // the server's own fault: never let an exchange hang unanswered
      log.error("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), t);
      try {
        error(ex, 500, "server_error", null, "internal error: " + t);
      } catch (IOException | RuntimeException ignored) {
        // headers already sent or client gone
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private boolean allow(HttpExchange ex, String method, String allowed) throws IOException {
    if (method.equals(allowed)) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", allowed);
    error(
        ex,
        405,
        "invalid_request_error",
        null,
        "use " + allowed + " for " + ex.getRequestURI().getPath());
    return false;
  }

  private void health(HttpExchange ex) throws IOException {
    ObjectNode body = json.createObjectNode();
    body.put("status", closing ? "shutting_down" : "ok");
    body.put("model", engine.modelId());
    send(ex, closing ? 503 : 200, body);
  }

  private void models(HttpExchange ex) throws IOException {
    ObjectNode body = json.createObjectNode();
    body.put("object", "list");
    ObjectNode m = body.putArray("data").addObject();
    m.put("id", engine.modelId());
    m.put("object", "model");
    m.put("created", engine.createdEpochSeconds());
    m.put("owned_by", "quarry");
    ObjectNode meta = m.putObject("meta");
    meta.put("architecture", engine.metadata().architecture());
    meta.put("n_ctx", engine.contextSize());
    meta.put("slots", engine.slots());
    engine.metadata().trainedContextLength().ifPresent(v -> meta.put("n_ctx_train", v));
    RegistryModels models = registry;
    if (models != null) {
      ArrayNode data = (ArrayNode) body.get("data");
      for (String name : models.available()) {
        ObjectNode r = data.addObject();
        r.put("id", name);
        r.put("object", "model");
        r.put("created", engine.createdEpochSeconds());
        r.put("owned_by", "quarry-registry");
      }
    }
    send(ex, 200, body);
  }

  // ---------------------------------------------------------------- generation

  private void chat(HttpExchange ex) throws IOException {
    JsonNode body = readBody(ex);
    if (body == null) {
      return;
    }
    OpenAiRequests.ChatCall call;
    String grammar;
    try {
      call = OpenAiRequests.chat(body);
      grammar = grammar(call.format());
    } catch (OpenAiRequests.BadRequest e) {
      error(ex, 400, "invalid_request_error", e.param, e.getMessage());
      return;
    }
    if (refuseWhileClosing(ex)) {
      return;
    }
    onModelOf(
        ex,
        body,
        e -> {
          String prompt;
          try {
            prompt = e.applyChatTemplate(call.messages());
          } catch (IllegalArgumentException iae) {
            error(ex, 400, "invalid_request_error", "messages", iae.getMessage());
            return null;
          }
          generateAndRespond(ex, e, prompt, call.params(), grammar, true);
          return null;
        });
  }

  /**
   * Runs {@code work} on the engine the request's {@code model} names: a registry model (in an
   * exclusive turn) or the default one. An unknown registry name is a 404.
   */
  private void onModelOf(HttpExchange ex, JsonNode body, RegistryModels.EngineWork<Void> work)
      throws IOException {
    RegistryModels models = registry;
    if (models == null) {
      work.run(engine);
      return;
    }
    JsonNode model = body.get("model");
    String name = model != null && model.isTextual() ? model.asText() : null;
    if (!RegistryModels.isRegistryName(name)) {
      models.defaultTurn().lock();
      try {
        work.run(engine);
      } finally {
        models.defaultTurn().unlock();
      }
      return;
    }
    Path file = models.file(name);
    if (file == null) {
      error(
          ex,
          404,
          "invalid_request_error",
          "model",
          "the model '"
              + name
              + "' does not exist: no registry/RUN/vN/model.gguf of that name here");
      return;
    }
    models.withModel(name, file, work);
  }

  private void completions(HttpExchange ex) throws IOException {
    JsonNode body = readBody(ex);
    if (body == null) {
      return;
    }
    OpenAiRequests.CompletionCall call;
    try {
      call = OpenAiRequests.completion(body);
    } catch (OpenAiRequests.BadRequest e) {
      error(ex, 400, "invalid_request_error", e.param, e.getMessage());
      return;
    }
    if (refuseWhileClosing(ex)) {
      return;
    }
    onModelOf(
        ex,
        body,
        e -> {
          generateAndRespond(ex, e, call.prompt(), call.params(), null, false);
          return null;
        });
  }

  private String grammar(OpenAiRequests.Format format) throws OpenAiRequests.BadRequest {
    if (format instanceof OpenAiRequests.Format.JsonObject) {
      return grammars.anyJsonObject();
    }
    if (format instanceof OpenAiRequests.Format.JsonSchema s) {
      try {
        return grammars.grammarFor(s.schema());
      } catch (JsonSchemaGrammars.UnsupportedSchemaException e) {
        throw new OpenAiRequests.BadRequest("response_format.json_schema.schema", e.getMessage());
      }
    }
    return null;
  }

  private void generateAndRespond(
      HttpExchange ex,
      LlamaEngine engine,
      String prompt,
      OpenAiRequests.Params p,
      String grammar,
      boolean chat)
      throws IOException {
    int promptTokens = engine.promptTokens(prompt);
    int room = engine.contextSize() - promptTokens;
    if (room < 1) {
      error(
          ex,
          400,
          "invalid_request_error",
          chat ? "messages" : "prompt",
          "the prompt is " + promptTokens + " tokens; the context holds " + engine.contextSize());
      return;
    }
    int maxTokens = p.maxTokens() == null ? room : Math.min(p.maxTokens(), room);
    long seed =
        p.seed() != null ? p.seed() : ThreadLocalRandom.current().nextLong(0, Integer.MAX_VALUE);
    LlamaEngine.Sampling sampling =
        new LlamaEngine.Sampling(
            maxTokens,
            (int) Math.floorMod(seed, (long) Integer.MAX_VALUE),
            p.temperature() != null ? p.temperature() : Float.valueOf(1.0f),
            p.topP(),
            p.topK(),
            p.minP(),
            p.stop(),
            grammar);
    long start = System.nanoTime();
    List<LlamaEngine.Generation> generations = engine.generate(prompt, sampling, p.n());
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    ObjectNode out = json.createObjectNode();
    out.put("id", (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID());
    out.put("object", chat ? "chat.completion" : "text_completion");
    out.put("created", System.currentTimeMillis() / 1000);
    out.put("model", engine.modelId());
    ArrayNode choices = out.putArray("choices");
    int completionTokens = 0;
    for (int i = 0; i < generations.size(); i++) {
      LlamaEngine.Generation g = generations.get(i);
      completionTokens += g.completionTokens();
      ObjectNode c = choices.addObject();
      c.put("index", i);
      if (chat) {
        c.putObject("message").put("role", "assistant").put("content", g.text());
      } else {
        c.put("text", g.text());
        c.putNull("logprobs");
      }
      c.put("finish_reason", g.hitLimit() ? "length" : "stop");
    }
    ObjectNode usage = out.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    log.debug(
        "{}: n={} prompt={} completion={} tokens in {} ms",
        chat ? "chat" : "completion",
        p.n(),
        promptTokens,
        completionTokens,
        elapsedMs);
    send(ex, 200, out);
  }

  private boolean refuseWhileClosing(HttpExchange ex) throws IOException {
    if (closing || engine.isClosed()) {
      ex.getResponseHeaders().set("Retry-After", "5");
      error(ex, 503, "server_error", null, "the server is shutting down");
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- I/O

  /** The parsed body, or null after an error response was sent. */
  private JsonNode readBody(HttpExchange ex) throws IOException {
    return OpenAiHttp.readJson(ex, MAX_BODY_BYTES);
  }

  private void error(HttpExchange ex, int status, String type, String param, String message)
      throws IOException {
    if (status >= 500) {
      log.warn("{} {} -> {}: {}", ex.getRequestMethod(), ex.getRequestURI(), status, message);
    } else {
      log.debug("{} {} -> {}: {}", ex.getRequestMethod(), ex.getRequestURI(), status, message);
    }
    OpenAiHttp.error(ex, status, type, param, message);
  }

  private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    OpenAiHttp.send(ex, status, body);
  }
}
