package dev.quarry.workflows;

import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Re-records the histories the replay tests use. Run it only when a workflow change is meant to be
 * incompatible and is shipped with versioning: mvn -pl workflows test -Dtest=RecordHistoriesTest
 * -Dquarry.recordHistories=true
 */
@EnabledIfSystemProperty(named = "quarry.recordHistories", matches = "true")
class RecordHistoriesTest {
  @Test
  void record() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      new FakeActivities().registerOn(env);
      env.start();
      GenerationRunWorkflow run =
          env.getWorkflowClient()
              .newWorkflowStub(
                  GenerationRunWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("replay-run")
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build());
      run.run(RunInput.start(GenerationRunWorkflowTest.config(1, 2, 3)));
      var extracting = new HashMap<>(GenerationRunWorkflowTest.config(1, 2, 2));
      extracting.put("concepts", Map.of("extract", true));
      env.getWorkflowClient()
          .newWorkflowStub(
              GenerationRunWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId("replay-extracting")
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .build())
          .run(RunInput.start(extracting));
      GenerationRunWorkflow scaleQuest =
          env.getWorkflowClient()
              .newWorkflowStub(
                  GenerationRunWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("replay-sq-run")
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build());
      scaleQuest.run(RunInput.start(ScaleQuestWorkflowTest.config(3, false)));
      Path dir = Path.of("src/test/resources/histories");
      Files.createDirectories(dir);
      for (var entry : ReplayTest.HISTORIES.entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey()),
            env.getWorkflowClient().fetchHistory(entry.getValue()).toJson(true));
      }
    }
  }

  /**
   * A batched QueST round (batch size lowered to 4, as ReplayTest's SmallBatchRound): its round and
   * one batch. Only: -Dtest='RecordHistoriesTest#recordBatched'.
   */
  @Test
  void recordBatched() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      new FakeActivities().registerOn(env, ReplayTest.SMALL_BATCH, ReplayTest.SMALL_PROGRESS_EVERY);
      env.start();
      env.getWorkflowClient()
          .newWorkflowStub(
              GenerationRunWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId("replay-batched")
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .build())
          .run(RunInput.start(GenerationRunWorkflowTest.config(1, 7, 2)));
      Path dir = Path.of("src/test/resources/histories");
      Files.createDirectories(dir);
      for (var entry : ReplayTest.BATCHED_HISTORIES.entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey()),
            env.getWorkflowClient().fetchHistory(entry.getValue()).toJson(true));
      }
    }
  }

  /** A QueST run with adaptive rollouts: -Dtest='RecordHistoriesTest#recordAdaptive'. */
  @Test
  void recordAdaptive() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      new FakeActivities().registerOn(env);
      env.start();
      env.getWorkflowClient()
          .newWorkflowStub(
              GenerationRunWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId("replay-adaptive")
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .build())
          .run(RunInput.start(AdaptiveRolloutsWorkflowTest.config(true)));
      Path dir = Path.of("src/test/resources/histories");
      Files.createDirectories(dir);
      for (var entry : ReplayTest.ADAPTIVE_HISTORIES.entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey()),
            env.getWorkflowClient().fetchHistory(entry.getValue()).toJson(true));
      }
    }
  }

  /** A run started with the preflight step: -Dtest='RecordHistoriesTest#recordPreflight'. */
  @Test
  void recordPreflight() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      new FakeActivities().registerOn(env);
      env.start();
      env.getWorkflowClient()
          .newWorkflowStub(
              GenerationRunWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId("replay-preflight")
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .build())
          .run(RunInput.start(GenerationRunWorkflowTest.config(1, 2, 2)));
      Path dir = Path.of("src/test/resources/histories");
      Files.createDirectories(dir);
      for (var entry : ReplayTest.PREFLIGHT_HISTORIES.entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey()),
            env.getWorkflowClient().fetchHistory(entry.getValue()).toJson(true));
      }
    }
  }

  /** The Python-trainer run only: -Dtest='RecordHistoriesTest#recordPython'. */
  @Test
  void recordPython() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      new FakeActivities().registerOn(env);
      env.start();
      var config = new HashMap<>(GenerationRunWorkflowTest.config(1, 2, 2));
      config.put(
          "trainer", Map.of("backend", "python", "python", Map.of("baseModel", "/m/base.gguf")));
      env.getWorkflowClient()
          .newWorkflowStub(
              GenerationRunWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId("replay-python")
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .build())
          .run(RunInput.start(config));
      Path dir = Path.of("src/test/resources/histories");
      Files.createDirectories(dir);
      for (var entry : ReplayTest.PYTHON_HISTORIES.entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey()),
            env.getWorkflowClient().fetchHistory(entry.getValue()).toJson(true));
      }
    }
  }

  /** SPARQ's histories only: -Dtest='RecordHistoriesTest#recordSparq'. */
  @Test
  void recordSparq() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      new FakeActivities().registerOn(env);
      env.start();
      GenerationRunWorkflow run =
          env.getWorkflowClient()
              .newWorkflowStub(
                  GenerationRunWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("replay-sparq")
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build());
      run.run(RunInput.start(SparqRoundWorkflowTest.config(1, 3)));
      Path dir = Path.of("src/test/resources/histories");
      Files.createDirectories(dir);
      for (var entry : ReplayTest.SPARQ_HISTORIES.entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey()),
            env.getWorkflowClient().fetchHistory(entry.getValue()).toJson(true));
      }
    }
  }

  /**
   * Batched ScaleQuest and SPARQ rounds (batch size 4, as ReplayTest's SmallBatchRound) and a QueST
   * round whose prompt 1 fails. Only: -Dtest='RecordHistoriesTest#recordMethodBatches'.
   */
  @Test
  void recordMethodBatches() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      FakeActivities fakes = new FakeActivities();
      fakes.failSuffix = "replay-failed/round-0/prompt-1";
      fakes.registerOn(env, ReplayTest.SMALL_BATCH, ReplayTest.SMALL_PROGRESS_EVERY);
      env.start();
      runOn(env, "replay-sq-batched", ScaleQuestWorkflowTest.config(7, false));
      runOn(env, "replay-sparq-batched", SparqRoundWorkflowTest.config(1, 7));
      runOn(env, "replay-failed", GenerationRunWorkflowTest.config(1, 3, 2));
      Path dir = Path.of("src/test/resources/histories");
      Files.createDirectories(dir);
      for (var entry : ReplayTest.METHOD_BATCHED_HISTORIES.entrySet()) {
        Files.writeString(
            dir.resolve(entry.getKey()),
            env.getWorkflowClient().fetchHistory(entry.getValue()).toJson(true));
      }
    }
  }

  private static void runOn(TestWorkflowEnvironment env, String id, Map<String, Object> config) {
    env.getWorkflowClient()
        .newWorkflowStub(
            GenerationRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build())
        .run(RunInput.start(config));
  }
}
