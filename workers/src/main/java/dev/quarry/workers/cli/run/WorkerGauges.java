package dev.quarry.workers.cli.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backpressure gauges one worker process exposes on its Prometheus endpoint (LLM requests in
 * flight and queued for a permit, sandbox batches running and slots), read for {@code quarry run
 * status}. A worker advertises that endpoint in its Temporal identity ({@code metrics=URL}), so the
 * status command finds every worker polling a stage's queue without any other registry.
 *
 * @param values metric name (Prometheus form, e.g. {@code quarry_llm_requests_inflight}) → the sum
 *     over its series (all endpoints of the worker)
 */
record WorkerGauges(Map<String, Double> values) {
  static final String LLM_IN_FLIGHT = "quarry_llm_requests_inflight";
  static final String LLM_QUEUED = "quarry_llm_requests_queued";
  static final String SANDBOX_ACTIVE = "quarry_sandbox_batches_active";
  static final String SANDBOX_SLOTS = "quarry_sandbox_slots";
  private static final java.util.List<String> READ =
      java.util.List.of(LLM_IN_FLIGHT, LLM_QUEUED, SANDBOX_ACTIVE, SANDBOX_SLOTS);

  private static final Pattern METRICS_URL = Pattern.compile("metrics=(http://\\S+)");
  // A sample line: name{labels} value [timestamp]; comments (#) and other metrics are skipped.
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

  /** The metrics URL a worker put in its identity, if it serves one. */
  static Optional<URI> advertisedBy(String identity) {
    Matcher m = METRICS_URL.matcher(identity == null ? "" : identity);
    return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
  }

  /** The gauges Quarry reads from a Prometheus text exposition. */
  static WorkerGauges parse(String exposition) {
    Map<String, Double> sums = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.find() || !READ.contains(m.group(1))) {
        continue;
      }
      try {
        sums.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
      } catch (NumberFormatException e) {
        // NaN/Inf are parsed by Double; anything else is not a sample we can add up
      }
    }
    return new WorkerGauges(sums);
  }

  /**
   * Reads one worker's gauges, or empty when its endpoint does not answer within {@code timeout}
   * (another host's firewall, a worker that just died): the status still shows the server's view.
   */
  static Optional<WorkerGauges> scrape(HttpClient http, URI url, Duration timeout) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(parse(response.body())) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  double get(String name) {
    return values.getOrDefault(name, 0.0);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }
}
