package dev.quarry.workers.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.metrics.MeteredSandboxExecutor;
import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.core.artifacts.ProblemArtifact;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.artifacts.TestInputsArtifact;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.SandboxConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.Language;
import dev.quarry.llm.EmbeddedLlmServer;
import dev.quarry.llm.LlamaEngine;
import dev.quarry.workers.worker.PrometheusEndpoint;
import dev.quarry.workers.worker.WorkerRuntime;
import dev.quarry.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running worker (real Temporal dev server, embedded llama.cpp, Docker) serves Prometheus
 * metrics: the Temporal SDK's and Quarry's own, scraped over HTTP after real work.
 */
class WorkerMetricsTest {
  @TempDir Path temp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aRunningWorkerIsScrapedForTemporalAndQuarryMetrics() throws Exception {
    try (TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
        EmbeddedLlmServer llm =
            EmbeddedLlmServer.load(LlamaEngine.Options.of(EndToEndRunTest.tinyModel()))
                .start("127.0.0.1", 0);
        PrometheusEndpoint metrics = PrometheusEndpoint.start("127.0.0.1", 0)) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(temporal.address())
                  .setMetricsScope(metrics.temporalScope())
                  .build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      QuarryHome home = new QuarryHome(temp.resolve("home"));
      WorkerFactory workers =
          WorkerRuntime.build(
              client,
              Set.of(TaskQueues.LLM, TaskQueues.SANDBOX),
              home,
              new WorkerRuntime.Capacity(1, 1),
              () -> new LlmChatModel(Duration.ofMinutes(2), home.llmCache()),
              () ->
                  new MeteredSandboxExecutor(
                      DockerSandboxExecutor.create(SandboxSettings.defaults())));
      workers
          .newWorker("metrics-probe")
          .registerWorkflowImplementationTypes(MetricsProbeWorkflow.Impl.class);
      workers.start();
      try {
        FileArtifactStore store = new FileArtifactStore(home.artifacts());
        SamplingRecord sampling = new SamplingRecord("tiny", 0, 1, 8, List.of(), 1);
        var problem =
            store.putJson(
                new ProblemArtifact(
                    List.of(Message.user("Print the input doubled.")),
                    "Print the input doubled.",
                    sampling,
                    "base"));
        var tests = store.putJson(new TestInputsArtifact(List.of("1\n", "2\n"), "", sampling));
        String endpoint = "http://127.0.0.1:" + llm.port() + "/v1";
        RoleConfig solver = new RoleConfig(endpoint, "tiny", 0.8, 0.95, 24, List.of(), null, 1, 0);
        SandboxConfig sandbox =
            new SandboxConfig(Language.PYTHON, 2, 128, 65536, Comparison.WHITESPACE);

        int executions =
            client
                .newWorkflowStub(
                    MetricsProbeWorkflow.class,
                    WorkflowOptions.newBuilder()
                        .setTaskQueue("metrics-probe")
                        .setWorkflowId("probe")
                        .build())
                .probe(new MetricsProbeWorkflow.Input(problem, tests, solver, sandbox));
        assertEquals(4, executions, "2 rollouts x 2 inputs");

        String scraped = scrapeUntil(metrics.port(), "temporal_activity_execution_latency");
        assertTrue(scraped.contains("quarry_sandbox_executions_total{"), scraped);
        assertTrue(
            scraped.contains("quarry_sandbox_batch_seconds_count{outcome=\"ok\"} 1"), scraped);
        assertTrue(scraped.contains("quarry_sandbox_batches_active 0"), scraped);
        // Backpressure gauges: this worker's sandbox slots and how busy they are, and the
        // endpoint's requests in flight and queued (all back to zero once the work is done).
        assertTrue(scraped.contains("quarry_sandbox_slots 1"), scraped);
        assertTrue(scraped.contains("quarry_sandbox_busy_fraction 0"), scraped);
        var busy =
            Pattern.compile("quarry_sandbox_busy_seconds_total ([0-9.Ee-]+)").matcher(scraped);
        assertTrue(
            busy.find() && Double.parseDouble(busy.group(1)) > 0,
            "one batch's slot-seconds: " + scraped);
        assertTrue(
            scraped.contains("quarry_llm_requests_inflight{endpoint=\"" + endpoint + "\"} 0"),
            scraped);
        assertTrue(
            scraped.contains("quarry_llm_requests_queued{endpoint=\"" + endpoint + "\"} 0"),
            scraped);
        assertTrue(
            scraped.contains(
                "quarry_llm_request_seconds_count{activity=\"SolveRollouts\",model=\"tiny\",outcome=\"ok\"}"),
            scraped);
        assertTrue(
            scraped.contains(
                "quarry_llm_tokens_total{activity=\"SolveRollouts\",kind=\"completion\",model=\"tiny\"}"),
            scraped);
        assertTrue(
            scraped.contains("activity_type=\"ExecuteCandidate\""),
            "Temporal SDK metrics: " + scraped);
      } finally {
        workers.shutdownNow();
        service.shutdownNow();
      }
    }
  }

  /** Temporal's reporter flushes every 10 s: scrape until its metrics have arrived. */
  private static String scrapeUntil(int port, String marker) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    return await(marker + " in the scrape")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
              assertEquals(200, response.statusCode());
              return response.body();
            },
            body -> body.contains(marker));
  }
}
