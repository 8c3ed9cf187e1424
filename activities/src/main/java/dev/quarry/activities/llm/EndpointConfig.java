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
 */
public record EndpointConfig(String baseUrl, String apiKey, Duration timeout, int maxConcurrency) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_CONCURRENCY = 4;

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
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
  }

  /** No key, {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_MAX_CONCURRENCY}. */
  public static EndpointConfig of(String baseUrl) {
    return new EndpointConfig(baseUrl, null, DEFAULT_TIMEOUT, DEFAULT_MAX_CONCURRENCY);
  }

  public EndpointConfig withApiKey(String key) {
    return new EndpointConfig(baseUrl, key, timeout, maxConcurrency);
  }

  public EndpointConfig withTimeout(Duration t) {
    return new EndpointConfig(baseUrl, apiKey, t, maxConcurrency);
  }

  public EndpointConfig withMaxConcurrency(int max) {
    return new EndpointConfig(baseUrl, apiKey, timeout, max);
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
        + "]";
  }
}
