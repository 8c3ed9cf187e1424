package dev.quarry.core.sandbox;

import java.util.List;

/**
 * Every program run on every input, in one container: programs.size() × inputs.size() executions. A
 * candidate's M solver rollouts on its T test inputs form one batch.
 */
public record ExecutionBatch(
    Language language, List<String> programs, List<String> inputs, ExecutionLimits limits) {
  public ExecutionBatch {
    programs = List.copyOf(programs);
    inputs = List.copyOf(inputs);
    if (programs.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one program");
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one input");
    }
  }

  public int size() {
    return programs.size() * inputs.size();
  }
}
