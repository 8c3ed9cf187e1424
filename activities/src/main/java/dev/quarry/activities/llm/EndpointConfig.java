package dev.quarry.activities.llm;

import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Where an OpenAI-compatible server lives and how to talk to it.
 *
 * @param baseUrl {@code http(s)://host:port}, optionally ending in {@code /v1}; either way requests
 *     go to {@code <base>/v1/chat/completions} and {@code <base>/v1/completions}
 * @param apiKey sent as {@code Authorization: Bearer}; nullable. It lives in worker config only and
 *     is never logged: {@link #toString()} masks it
 * @param timeout for one HTTP call, connect to last byte
 * @param maxConcurrency how many calls may be in flight to this endpoint at once
 * @param requestsPerSecond most HTTP attempts (retries included) started per second by one {@link
 *     OpenAiClient}, spaced evenly ({@code 2.0} = one every 500 ms, {@code 0.5} = one every 2 s); 0
 *     = unlimited. Otherwise at least {@link #MIN_REQUESTS_PER_SECOND}
 */
public record EndpointConfig(
    String baseUrl, String apiKey, Duration timeout, int maxConcurrency, double requestsPerSecond) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_CONCURRENCY = 4;

  /** No rate limit. */
  public static final double UNLIMITED = 0;

  /** The lowest positive rate: one request a day. */
  public static final double MIN_REQUESTS_PER_SECOND = 1.0 / 86_400;

  public EndpointConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(timeout, "timeout");
    HttpUrl url = HttpUrl.parse(baseUrl);
    if (url == null) {
      throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + baseUrl);
    }
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      throw new IllegalArgumentException("baseUrl must not carry credentials; use apiKey");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
    }
    if (!Double.isFinite(requestsPerSecond)
        || requestsPerSecond < 0
        || (requestsPerSecond > 0 && requestsPerSecond < MIN_REQUESTS_PER_SECOND)) {
      throw new IllegalArgumentException(
          "requestsPerSecond must be 0 (unlimited) or a finite rate of at least one a day"
              + " (1/86400), got "
              + requestsPerSecond);
    }
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
  }

  /** Without a rate limit, as before {@code requestsPerSecond} existed. */
  public EndpointConfig(String baseUrl, String apiKey, Duration timeout, int maxConcurrency) {
    this(baseUrl, apiKey, timeout, maxConcurrency, UNLIMITED);
  }

  /** No key, {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_MAX_CONCURRENCY}, no rate limit. */
  public static EndpointConfig of(String baseUrl) {
    return new EndpointConfig(baseUrl, null, DEFAULT_TIMEOUT, DEFAULT_MAX_CONCURRENCY);
  }

  public EndpointConfig withApiKey(String key) {
    return new EndpointConfig(baseUrl, key, timeout, maxConcurrency, requestsPerSecond);
  }

  public EndpointConfig withTimeout(Duration t) {
    return new EndpointConfig(baseUrl, apiKey, t, maxConcurrency, requestsPerSecond);
  }

  public EndpointConfig withMaxConcurrency(int max) {
    return new EndpointConfig(baseUrl, apiKey, timeout, max, requestsPerSecond);
  }

  /** {@code rps} requests per second at most (retries included); 0 = unlimited. */
  public EndpointConfig withRequestsPerSecond(double rps) {
    return new EndpointConfig(baseUrl, apiKey, timeout, maxConcurrency, rps);
  }

  public boolean hasRateLimit() {
    return requestsPerSecond > 0;
  }

  public boolean hasApiKey() {
    return apiKey != null;
  }

  @Override
  public String toString() {
    return "EndpointConfig[baseUrl="
        + baseUrl
        + ", apiKey="
        + (apiKey == null ? "<none>" : "****")
        + ", timeout="
        + timeout
        + ", maxConcurrency="
        + maxConcurrency
        + ", requestsPerSecond="
        + (hasRateLimit() ? requestsPerSecond : "unlimited")
        + "]";
  }
}
