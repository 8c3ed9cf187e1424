package dev.quarry.workers.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import com.uber.m3.util.Duration;
import dev.quarry.llm.http.HttpServers;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A worker's Prometheus endpoint ({@code GET /metrics}): the Temporal SDK's worker and client
 * metrics (through {@link #temporalScope()}) and Quarry's own meters (sandbox verdicts and busy
 * slots, LLM latency and tokens), all from one registry.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final HttpServer server;
  private final Scope temporalScope;

  private PrometheusEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
    // Temporal reports through tally; flushing every 10 s is below any sensible scrape interval.
    this.temporalScope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(Duration.ofSeconds(10));
  }

  /**
   * Serves on {@code host:port} (port 0: any free port).
   *
   * @throws IOException when the port is taken (say which setting moves it)
   */
  public static PrometheusEndpoint start(String host, int port) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server;
    try {
      server = HttpServers.bind(host, port, 16);
    } catch (IOException e) {
      throw new IOException(
          "cannot serve metrics on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "): set QUARRY_METRICS_PORT to a free port, or 0 to turn metrics off",
          e);
    }
    PrometheusEndpoint endpoint = new PrometheusEndpoint(registry, server);
    server.createContext("/metrics", endpoint::scrape);
    server.start();
    Metrics.addRegistry(registry);
    return endpoint;
  }

  /** The metrics scope to give Temporal's service stubs (worker and client metrics). */
  public Scope temporalScope() {
    return temporalScope;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    try {
      temporalScope.close();
    } catch (ScopeCloseException e) {
      // Only the last flush is lost: the process is going away with its registry.
    }
    Metrics.removeRegistry(registry);
    registry.close();
  }
}
