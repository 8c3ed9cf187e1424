package dev.quarry.workflows.run;

import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.TrainerBackend;
import dev.quarry.core.config.TrainerConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.activities.DatasetActivities;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.PythonTrainingActivities;
import dev.quarry.workflows.activities.RetrainRequest;
import dev.quarry.workflows.activities.TrainingActivities;
import dev.quarry.workflows.round.RoundInput;
import dev.quarry.workflows.round.RoundResult;
import dev.quarry.workflows.round.RoundWorkflow;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Set;

public class GenerationRunWorkflowImpl implements GenerationRunWorkflow {
  private final DatasetActivities dataset =
      Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.bookkeeping());
  private final TrainingActivities training =
      Workflow.newActivityStub(TrainingActivities.class, ActivityStubs.training());

  /** A trainer image: timer heartbeats, so a short heartbeat timeout and prompt cancellation. */
  private final TrainingActivities containerTraining =
      Workflow.newActivityStub(TrainingActivities.class, ActivityStubs.containerTraining());

  private RunState state;
  private String stage = "starting";
  private boolean paused;
  private boolean stopAfterRound;
  private String currentRoundId;
  private Visibility visibility = new Visibility(Set.of());

  @Override
  public RunSummary run(RunInput input) {
    String runId = Workflow.getInfo().getWorkflowId();
    if (input.state() == null) {
      stage = "validating";
      RunConfig config = dataset.resolveConfig(input.config());
      stage = "preflight";
      Preflight.check(config);
      state = RunState.initial(runId, config);
    } else {
      state = input.state();
      paused = paused || state.paused();
      stopAfterRound = stopAfterRound || state.stopAfterRound();
    }

    if (!state.finished()) {
      visibility = Visibility.discover();
      visibility.runStarted(
          state.runId(), state.config(), state.nextRound(), state.currentVersion().id());
      stage = paused ? "paused" : "waiting";
      Workflow.await(() -> !paused);
      state = runRound(state);
      if (stopAfterRound && state.nextRound() < state.config().rounds()) {
        state = state.stoppedBecause("stopped on request after round " + (state.nextRound() - 1));
      }
      var exhausted = Budgets.exhausted(state.config().budget(), state.usage().total());
      if (exhausted.isPresent() && state.nextRound() < state.config().rounds()) {
        state = state.stoppedBecause(exhausted.get());
      }
      if (!state.finished()) {
        stage = "continuing";
        Workflow.continueAsNew(new RunInput(null, state));
      }
    }
    stage = "completed";
    visibility.stage("completed");
    return summary(state);
  }

  private RunState runRound(RunState current) {
    int round = current.nextRound();
    GeneratorVersion version = current.currentVersion();
    currentRoundId = Ids.round(current.runId(), round);
    stage = "round";
    visibility.stage("round");
    RoundWorkflow child =
        Workflow.newChildWorkflowStub(
            RoundWorkflow.class,
            visibility
                .child(
                    ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(currentRoundId)
                        .setTaskQueue(TaskQueues.WORKFLOWS),
                    current.runId(),
                    round,
                    current.config(),
                    version.id(),
                    "round "
                        + round
                        + " of "
                        + current.config().rounds()
                        + ", generator "
                        + version.id())
                .build());
    RoundResult result =
        child.run(
            new RoundInput(
                current.runId(),
                round,
                generatorConfig(current, version),
                version.id(),
                visibility.registered()));

    stage = "retraining";
    visibility.stage("retraining");
    RetrainRequest retrain =
        new RetrainRequest(
            current.runId(),
            round,
            result.shard().rftFile(),
            result.shard().rows(),
            version,
            current.config().trainer());
    TrainerConfig trainer = current.config().trainer();
    // Only configs with backend python take this branch, and no history before it had one, so
    // existing runs issue the same commands as before (no Workflow.getVersion needed).
    GeneratorVersion next =
        trainer != null && trainer.backend() == TrainerBackend.PYTHON && trainer.python() != null
            ? Workflow.newActivityStub(
                    PythonTrainingActivities.class,
                    ActivityStubs.pythonTraining(
                        trainer.python().taskQueue(), trainer.python().heartbeatSeconds()))
                .trainLora(retrain)
            : trainer != null && trainer.backend() == TrainerBackend.CONTAINER
                ? containerTraining.retrain(retrain)
                : training.retrain(retrain);
    currentRoundId = null;
    return current.afterRound(result, next, paused, stopAfterRound);
  }

  /** The run's config with the generator serving the current version's model, if it differs. */
  private static RunConfig generatorConfig(RunState state, GeneratorVersion version) {
    RunConfig config = state.config();
    String model = version.model();
    return model == null || model.equals(config.roles().generator().model())
        ? config
        : config.withGeneratorModel(model);
  }

  private static RunSummary summary(RunState state) {
    RunState.Totals totals = state.totals();
    return new RunSummary(
        state.runId(),
        totals.rounds(),
        state.nextRound() < state.config().rounds(),
        totals.rows(),
        totals.candidates(),
        totals.invalidCandidates(),
        state.rounds(),
        state.versions(),
        state.usage(),
        state.stopReason());
  }

  @Override
  public RunProgress progress() {
    if (state == null) {
      return new RunProgress(
          Workflow.getInfo().getWorkflowId(),
          stage,
          0,
          0,
          null,
          paused,
          stopAfterRound,
          List.of(),
          List.of(),
          Usage.ZERO,
          null);
    }
    return new RunProgress(
        state.runId(),
        stage,
        state.nextRound(),
        state.config().rounds(),
        currentRoundId,
        paused,
        stopAfterRound,
        state.rounds(),
        state.versions(),
        state.usage(),
        state.config());
  }

  @Override
  public void pause() {
    paused = true;
    forwardToRound(true);
  }

  @Override
  public void resume() {
    paused = false;
    forwardToRound(false);
  }

  @Override
  public void stopAfterRound() {
    stopAfterRound = true;
  }

  /** A round can run for hours: pausing must reach it, not wait for its end. */
  private void forwardToRound(boolean pause) {
    if (currentRoundId == null) {
      return;
    }
    RoundWorkflow round = Workflow.newExternalWorkflowStub(RoundWorkflow.class, currentRoundId);
    // Async: a signal handler must not block on the delivery of another signal.
    if (pause) {
      Async.procedure(round::pause);
    } else {
      Async.procedure(round::resume);
    }
  }
}
