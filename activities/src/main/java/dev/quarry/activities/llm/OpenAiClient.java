package dev.quarry.activities.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.activities.support.CancelHooks;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of one OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp, Ollama, a hosted API or
 * {@code quarry llm serve}).
 *
 * <ul>
 *   <li>429, 408, 409, 425, 5xx, connection failures and timeouts are retried with exponential
 *       backoff and jitter, honouring {@code Retry-After} (seconds or HTTP date), at most {@link
 *       RetryPolicy#maxAttempts()} attempts; then {@link LlmUnavailableException} (retryable).
 *   <li>Other 4xx (400, 401, 403, 404, 422, …) fail at once with {@link
 *       LlmRequestRejectedException} carrying the status and the server's message.
 *   <li>A 200 whose body is not a complete response with choices is {@link
 *       LlmUnavailableException}.
 *   <li>At most {@link EndpointConfig#maxConcurrency()} calls are in flight at once (a permit is
 *       held per HTTP attempt, not across backoff sleeps).
 *   <li>With {@link EndpointConfig#requestsPerSecond()} set, HTTP attempts (retries included) start
 *       at most that often, evenly spaced (see {@link RateLimiter}): the calling thread blocks,
 *       interruptibly, until its turn. The turn is taken after the concurrency permit, so an
 *       attempt is sent the moment its turn comes instead of bunching up behind busy permits. The
 *       limit is per client instance: share one client per endpoint.
 *   <li>The API key goes only into the {@code Authorization} header; it is never logged, and is
 *       masked if a server echoes it in an error message.
 * </ul>
 *
 * Thread-safe; share one instance per endpoint and {@link #close()} it on shutdown.
 */
public final class OpenAiClient implements LlmClient, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenAiClient.class);
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  /** Waits between attempts; replaced in tests. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final EndpointConfig config;
  private final RetryPolicy retry;
  private final OkHttpClient http;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Semaphore permits;
  private volatile EndpointLoad load = new EndpointLoad();
  private final RateLimiter rateLimiter; // null: unlimited
  private final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final HttpUrl chatUrl;
  private final HttpUrl completionsUrl;
  private volatile LlmRequestObserver observer = LlmRequestObserver.NONE;

  public OpenAiClient(EndpointConfig config) {
    this(config, RetryPolicy.DEFAULT);
  }

  public OpenAiClient(EndpointConfig config, RetryPolicy retry) {
    this(config, retry, new OkHttpClient(), d -> Thread.sleep(d.toMillis()), Clock.systemUTC());
  }

  OpenAiClient(
      EndpointConfig config, RetryPolicy retry, OkHttpClient base, Sleeper sleeper, Clock clock) {
    this(
        config,
        retry,
        base,
        sleeper,
        clock,
        config.hasRateLimit() ? new RateLimiter(config.requestsPerSecond()) : null);
  }

  /** {@code rateLimiter}: replaces the one {@code config} implies; null = unlimited. */
  OpenAiClient(
      EndpointConfig config,
      RetryPolicy retry,
      OkHttpClient base,
      Sleeper sleeper,
      Clock clock,
      RateLimiter rateLimiter) {
    this.config = config;
    this.retry = retry;
    this.sleeper = sleeper;
    this.clock = clock;
    this.permits = new Semaphore(config.maxConcurrency(), true);
    this.rateLimiter = rateLimiter;
    Duration timeout = config.timeout();
    Duration connect =
        timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
    // Our retry policy is the only one: OkHttp's silent connection retry would make attempts
    // unbounded.
    this.http =
        base.newBuilder()
            .retryOnConnectionFailure(false)
            .callTimeout(timeout)
            .connectTimeout(connect)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .build();
    this.chatUrl = OpenAiWire.url(config.baseUrl(), OpenAiWire.Route.CHAT);
    this.completionsUrl = OpenAiWire.url(config.baseUrl(), OpenAiWire.Route.COMPLETIONS);
  }

  public EndpointConfig config() {
    return config;
  }

  public RetryPolicy retryPolicy() {
    return retry;
  }

  @Override
  public LlmResponse chat(ChatRequest request) throws LlmException {
    return send(OpenAiWire.Route.CHAT, OpenAiWire.chatBody(json, request));
  }

  @Override
  public LlmResponse complete(CompletionRequest request) throws LlmException {
    return send(OpenAiWire.Route.COMPLETIONS, OpenAiWire.completionBody(json, request));
  }

  ObjectMapper json() {
    return json;
  }

  /**
   * The models the endpoint serves ({@code GET /v1/models}), each as its id followed by what the
   * server says it is built from ({@code root}, {@code owned_by}) when it says so: "id root owner".
   * One attempt, no retries: callers treat a failure as "unknown".
   *
   * @throws LlmException when the endpoint does not list its models
   */
  public List<String> servedModels() throws LlmException {
    HttpUrl url = OpenAiWire.modelsUrl(config.baseUrl());
    Request.Builder rb = new Request.Builder().url(url).get().header("Accept", "application/json");
    if (config.hasApiKey()) {
      rb.header("Authorization", "Bearer " + config.apiKey());
    }
    acquire(url);
    try (Response response = http.newCall(rb.build()).execute()) {
      byte[] raw = response.body().bytes();
      if (response.code() != 200 && answeredWithoutListing(response.code())) {
        return List.of();
      }
      if (response.code() != 200) {
        throw new LlmUnavailableException(
            url + " answered HTTP " + response.code() + " to a model listing");
      }
      return OpenAiWire.modelList(json, raw);
    } catch (IOException e) {
      throw new LlmUnavailableException("cannot list the models of " + url + ": " + describe(e), e);
    } finally {
      release();
    }
  }

  /**
   * Whether an HTTP status to {@code GET /v1/models} means the endpoint is up and simply has no
   * listing for us (not found, not allowed, forbidden: gateways that serve only chat), as opposed
   * to an endpoint that is down or overloaded (5xx, 408, 429), whose listing must be asked again.
   */
  static boolean answeredWithoutListing(int status) {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }

  HttpUrl url(OpenAiWire.Route route) {
    return route == OpenAiWire.Route.CHAT ? chatUrl : completionsUrl;
  }

  /**
   * Counts this client's queued and in-flight requests in {@code shared} (one per endpoint, for the
   * gauges); set before the first request. Returns this client.
   */
  public OpenAiClient loadCountedIn(EndpointLoad shared) {
    this.load = Objects.requireNonNull(shared, "load");
    return this;
  }

  /** This client's queued and in-flight requests (with every client sharing its count). */
  public EndpointLoad load() {
    return load;
  }

  /** Reports every finished request to {@code newObserver} (metrics); returns this client. */
  public OpenAiClient observedBy(LlmRequestObserver newObserver) {
    this.observer = newObserver;
    return this;
  }

  /** Sends {@code body} to {@code route} under the retry policy, telling the observer. */
  LlmResponse send(OpenAiWire.Route route, ObjectNode body) throws LlmException {
    String model = body.path("model").asText("");
    long started = System.nanoTime();
    try {
      LlmResponse response = sendWithRetries(route, body);
      observer.finished(
          model,
          Duration.ofNanos(System.nanoTime() - started),
          "ok",
          response.promptTokens(),
          response.completionTokens());
      return response;
    } catch (LlmException | RuntimeException e) {
      observer.finished(
          model, Duration.ofNanos(System.nanoTime() - started), e.getClass().getSimpleName(), 0, 0);
      throw e;
    }
  }

  private LlmResponse sendWithRetries(OpenAiWire.Route route, ObjectNode body) throws LlmException {
    HttpUrl url = url(route);
    String requestModel = body.path("model").asText("");
    byte[] payload;
    try {
      payload = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise request", e);
    }
    Request.Builder rb =
        new Request.Builder().url(url).post(RequestBody.create(payload, JSON_TYPE));
    rb.header("Accept", "application/json");
    if (config.hasApiKey()) {
      rb.header("Authorization", "Bearer " + config.apiKey());
    }
    Request request = rb.build();

    String lastProblem = "";
    int lastStatus = 0;
    Duration lastRetryAfter = null;
    Throwable lastCause = null;
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      Duration wait;
      acquire(url);
      try {
        awaitRateLimit(url);
      } catch (LlmUnavailableException e) {
        release();
        throw e;
      }
      okhttp3.Call call = http.newCall(request);
      // A cancelled activity cancels the call: an interrupt does not end a blocking socket read.
      var cancelOnCancel = CancelHooks.onCancel(call::cancel);
      try (Response response = call.execute()) {
        int status = response.code();
        byte[] raw = response.body().bytes();
        if (status >= 200 && status < 300) {
          return OpenAiWire.parse(json, route, url.toString(), raw, requestModel);
        }
        String serverMessage = redact(OpenAiWire.errorMessage(json, raw));
        if (!retryable(status)) {
          throw new LlmRequestRejectedException(
              url
                  + " rejected the "
                  + route.label
                  + " request: HTTP "
                  + status
                  + (serverMessage.isEmpty() ? "" : ": " + serverMessage),
              status,
              serverMessage);
        }
        lastStatus = status;
        lastCause = null;
        lastProblem = "HTTP " + status + (serverMessage.isEmpty() ? "" : ": " + serverMessage);
        lastRetryAfter = retryAfter(response.header("Retry-After"));
        if (lastRetryAfter != null && lastRetryAfter.compareTo(retry.maxRetryAfter()) > 0) {
          throw new LlmUnavailableException(
              url
                  + " is unavailable ("
                  + lastProblem
                  + ") and asks to retry after "
                  + lastRetryAfter.toSeconds()
                  + " s",
              status,
              lastRetryAfter,
              null);
        }
        wait = lastRetryAfter != null ? lastRetryAfter : backoff(attempt);
      } catch (IOException e) {
        lastStatus = 0;
        lastRetryAfter = null;
        lastCause = e;
        lastProblem = describe(e);
        wait = backoff(attempt);
      } finally {
        cancelOnCancel.close();
        release();
      }
      if (attempt == retry.maxAttempts()) {
        break;
      }
      log.warn(
          "LLM {} request to {} failed (attempt {}/{}): {}; retrying in {} ms",
          route.label,
          url,
          attempt,
          retry.maxAttempts(),
          lastProblem,
          wait.toMillis());
      pause(wait, url);
    }
    throw new LlmUnavailableException(
        url
            + " is unavailable after "
            + retry.maxAttempts()
            + " attempt"
            + (retry.maxAttempts() == 1 ? "" : "s")
            + ": "
            + lastProblem,
        lastStatus,
        lastRetryAfter,
        lastCause);
  }

  private static boolean retryable(int status) {
    return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
  }

  private void acquire(HttpUrl url) throws LlmUnavailableException {
    EndpointLoad counted = load;
    counted.waiting();
    boolean admitted = false;
    try {
      permits.acquire();
      admitted = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmUnavailableException("interrupted while waiting for a free slot to " + url, e);
    } finally {
      counted.stopWaiting(admitted);
    }
  }

  private void release() {
    load.done();
    permits.release();
  }

  private void awaitRateLimit(HttpUrl url) throws LlmUnavailableException {
    if (rateLimiter == null) {
      return;
    }
    try {
      rateLimiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmUnavailableException(
          "interrupted while waiting for the rate limit of " + url, e);
    }
  }

  private void pause(Duration wait, HttpUrl url) throws LlmUnavailableException {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmUnavailableException("interrupted while backing off from " + url, e);
    }
  }

  private Duration backoff(int failedAttempt) {
    return retry.backoff(failedAttempt, ThreadLocalRandom.current().nextDouble());
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return Duration.ofSeconds(Math.max(0, seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  private String describe(IOException e) {
    String what;
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
      what = "timed out after " + config.timeout().toMillis() + " ms";
    } else if (e instanceof ConnectException) {
      what = "connection refused";
    } else {
      what = "I/O error";
    }
    String detail = OpenAiWire.oneLine(e.getMessage());
    return what
        + " ("
        + e.getClass().getSimpleName()
        + (detail.isEmpty() ? "" : ": " + redact(detail))
        + ")";
  }

  /** A server may echo the key it rejected; never let it reach a message or a log. */
  private String redact(String text) {
    String key = config.apiKey();
    if (key == null || text == null || text.isEmpty()) {
      return text == null ? "" : text;
    }
    String out = text.replace(key, "****");
    // Hosted APIs often echo a prefix + suffix ("sk-abc...wxyz"); mask any long-enough prefix too.
    if (key.length() >= 12) {
      out = out.replace(key.substring(0, key.length() / 2), "****");
    }
    return out;
  }

  /** Releases connections and threads. */
  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "OpenAiClient[" + config + "]";
  }
}
