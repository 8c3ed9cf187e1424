package dev.quarry.workers.cli.run;

import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.TemporalConnection;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import io.micronaut.context.annotation.Prototype;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Signals to a running run: pause, resume, stop after the current round. */
public abstract class RunSignalCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;

  @Parameters(index = "0", description = "The run id (its workflow id).")
  String runId;

  abstract String verb();

  abstract Consumer<GenerationRunWorkflow> signal();

  @Override
  public Integer call() {
    try (TemporalConnection temporal = TemporalConnection.open(settings)) {
      WorkflowExecutionStatus status =
          RunLookup.status(temporal.service(), settings.getTemporal().getNamespace(), runId);
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        System.err.println(
            "run " + runId + " is not running (" + status + "); nothing to " + verb());
        return 1;
      }
      signal().accept(RunLookup.stub(temporal.client(), runId));
      System.out.println(verb() + ": sent to " + runId);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(e.getMessage());
      return 1;
    }
  }

  @Command(name = "pause", description = "Pause a run: no new prompts or rounds start.")
  @Prototype // a bean, so the inherited @Inject field is filled
  public static class Pause extends RunSignalCommand {
    String verb() {
      return "pause";
    }

    Consumer<GenerationRunWorkflow> signal() {
      return GenerationRunWorkflow::pause;
    }
  }

  @Command(name = "resume", description = "Resume a paused run.")
  @Prototype // a bean, so the inherited @Inject field is filled
  public static class Resume extends RunSignalCommand {
    String verb() {
      return "resume";
    }

    Consumer<GenerationRunWorkflow> signal() {
      return GenerationRunWorkflow::resume;
    }
  }

  @Command(name = "stop", description = "Finish the current round, then complete the run.")
  @Prototype // a bean, so the inherited @Inject field is filled
  public static class Stop extends RunSignalCommand {
    String verb() {
      return "stop after this round";
    }

    Consumer<GenerationRunWorkflow> signal() {
      return GenerationRunWorkflow::stopAfterRound;
    }
  }
}
