package dev.quarry.activities.sandbox;

import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import dev.quarry.core.sandbox.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a disrupted batch becomes. Every program runs again, on all of its inputs, in a container of
 * its own: at most one extra container per program, whatever the program does. A program whose own
 * container is disrupted again is the culprit: {@link Verdict#SANDBOX_VIOLATION} on every input, a
 * failure of that program like any other. The others get the verdicts of their re-runs, with no
 * neighbour from another program to disturb them.
 *
 * <p>Why per program and not per execution: a program that disrupts only when it has neighbours
 * made per-execution re-runs cost one container per execution (and then behaved, alone). Here its
 * neighbours in the re-run are its own executions; and it can no longer reach another execution or
 * the runner at all (see runner.py), so no disruption depends on who the neighbours are.
 */
final class CulpritFinder {
  private static final Logger log = LoggerFactory.getLogger(CulpritFinder.class);

  /** Runs one batch in one container. */
  interface ContainerRun {
    BatchResult run(ExecutionBatch batch)
        throws SandboxUnavailableException, BatchDisruptedException;
  }

  private CulpritFinder() {}

  static BatchResult rerunPerProgram(ExecutionBatch batch, ContainerRun container)
      throws SandboxUnavailableException {
    List<ExecutionOutcome> outcomes = new ArrayList<>(batch.size());
    List<Integer> culprits = new ArrayList<>();
    for (int program = 0; program < batch.programs().size(); program++) {
      ExecutionBatch alone =
          new ExecutionBatch(
              batch.language(),
              List.of(batch.programs().get(program)),
              batch.inputs(),
              batch.limits());
      try {
        for (ExecutionOutcome only : container.run(alone).outcomes()) {
          outcomes.add(
              new ExecutionOutcome(
                  program,
                  only.inputIndex(),
                  only.verdict(),
                  only.stdout(),
                  only.stderrTail(),
                  only.exitCode(),
                  only.wallSeconds()));
        }
      } catch (BatchDisruptedException again) {
        culprits.add(program);
        for (int input = 0; input < batch.inputs().size(); input++) {
          outcomes.add(violation(program, input, again.getMessage()));
        }
      }
    }
    if (culprits.isEmpty()) {
      log.warn(
          "a disrupted batch of {} programs ran clean with one container per program: no culprit",
          batch.programs().size());
    } else {
      log.warn(
          "sandbox violation by program(s) {} of a batch of {}", culprits, batch.programs().size());
    }
    return new BatchResult(outcomes);
  }

  static ExecutionOutcome violation(int program, int input, String why) {
    return new ExecutionOutcome(
        program,
        input,
        Verdict.SANDBOX_VIOLATION,
        "",
        "sandbox: the program disrupted its runner, also in a container of its own (" + why + ")",
        -1,
        0.0);
  }
}
