package dev.quarry.workers.worker;

import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.metrics.MeteredSandboxExecutor;
import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.config.SandboxMode;
import dev.quarry.workers.config.StoreKind;
import dev.quarry.workers.config.StoreSettings;
import dev.quarry.workers.temporal.TemporalConnection;
import dev.quarry.workflows.TaskQueues;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    description = "Run a worker in the foreground for some or all task queues.")
public class WorkerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

  @Inject QuarrySettings settings;
  @Inject StoreSettings store;

  @Option(
      names = "--queues",
      split = ",",
      description = "Task queues to poll (default: all): ${COMPLETION-CANDIDATES}")
  List<Queue> queues;

  /** The task queues by short name. */
  enum Queue {
    workflows(TaskQueues.WORKFLOWS),
    llm(TaskQueues.LLM),
    sandbox(TaskQueues.SANDBOX),
    train(TaskQueues.TRAIN);

    final String taskQueue;

    Queue(String taskQueue) {
      this.taskQueue = taskQueue;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Set<String> selected = new LinkedHashSet<>();
    (queues == null || queues.isEmpty() ? List.of(Queue.values()) : queues)
        .forEach(q -> selected.add(q.taskQueue));
    PrometheusEndpoint metrics = startMetrics();
    TemporalConnection temporal;
    try {
      temporal =
          TemporalConnection.open(
              settings,
              metrics == null ? null : metrics.temporalScope(),
              WorkerIdentity.current(metrics == null ? 0 : metrics.port()));
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    SandboxSettings sandbox = settings.getSandbox().toSandboxSettings();
    boolean scripted = settings.getSandbox().getMode() == SandboxMode.SCRIPTED;
    if (scripted && selected.contains(TaskQueues.SANDBOX)) {
      LOG.warn(
          "sandbox mode 'scripted': NO program runs; outputs are hashes of (program, input). For benchmarks of the orchestration only.");
    }
    if (!scripted && selected.contains(TaskQueues.SANDBOX)) {
      // Containers of a worker that died may still run: remove those past their deadline, now
      // and every minute (other workers' live containers are left alone).
      OrphanReaping.start(sandbox);
    }
    StoreSettings.Opened stores;
    try {
      stores = store.open(settings.homePath());
    } catch (IllegalArgumentException | IOException e) {
      System.err.println(e.getMessage());
      temporal.close();
      return 1;
    }
    LOG.info(
        "artifacts, records and datasets: {}",
        store.getKind() == StoreKind.S3
            ? store.s3()
            : "files under " + settings.homePath() + " and each run's outputDir");
    WorkerFactory factory =
        WorkerRuntime.build(
            temporal.client(),
            selected,
            new QuarryHome(settings.homePath()),
            new WorkerRuntime.Stores(stores.artifacts(), stores.records(), stores.datasets()),
            new WorkerRuntime.Capacity(
                settings.getLlm().getSlots(),
                settings.getSandbox().getSlots(),
                settings.getLlm().getRequestsPerSecond()),
            () ->
                new LlmChatModel(
                    Duration.ofSeconds(settings.getLlm().getTimeoutSeconds()),
                    settings.homePath().resolve("cache").resolve("llm")),
            () ->
                new MeteredSandboxExecutor(
                    scripted
                        ? new ScriptedSandboxExecutor()
                        : DockerSandboxExecutor.create(sandbox)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  factory.shutdown();
                  factory.awaitTermination(20, TimeUnit.SECONDS);
                  temporal.close();
                  stores.close();
                  if (metrics != null) {
                    metrics.close();
                  }
                  stopped.countDown();
                },
                "quarry-worker-shutdown"));
    factory.start();
    LOG.info(
        "{} on {} at {} (home {})",
        WorkerReady.MARKER,
        selected,
        settings.getTemporal().getAddress(),
        settings.homePath());
    stopped.await();
    return 0;
  }

  /** Metrics are worth having, not worth refusing work over: a taken port is a warning. */
  private PrometheusEndpoint startMetrics() {
    int port = settings.getMetricsPort();
    if (port <= 0) {
      return null;
    }
    try {
      PrometheusEndpoint endpoint = PrometheusEndpoint.start("0.0.0.0", port);
      LOG.info("Prometheus metrics on http://0.0.0.0:{}/metrics", endpoint.port());
      return endpoint;
    } catch (IOException e) {
      LOG.warn("no metrics endpoint: {}", e.getMessage());
      return null;
    }
  }
}
