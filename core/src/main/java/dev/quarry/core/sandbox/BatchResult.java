package dev.quarry.core.sandbox;

import java.util.List;
import java.util.Optional;

/** All outcomes of one batch, one per (program, input). */
public record BatchResult(List<ExecutionOutcome> outcomes) {
  public BatchResult {
    outcomes = List.copyOf(outcomes);
  }

  public Optional<ExecutionOutcome> find(int programIndex, int inputIndex) {
    return outcomes.stream()
        .filter(o -> o.programIndex() == programIndex && o.inputIndex() == inputIndex)
        .findFirst();
  }
}
