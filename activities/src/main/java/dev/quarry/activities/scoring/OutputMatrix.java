package dev.quarry.activities.scoring;

import dev.quarry.core.artifacts.ExecutionArtifact;
import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.OutputComparator;
import dev.quarry.core.sandbox.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * outputs[m][t]: rollout m's canonical output on input t, or null when that execution did not run
 * validly. Only an OK verdict is a valid execution for self-consistency.
 */
public final class OutputMatrix {
  private OutputMatrix() {}

  public static List<List<String>> of(ExecutionArtifact execution, Comparison comparison) {
    OutputComparator comparator = OutputComparator.of(comparison);
    int programs = 0;
    int inputs = 0;
    for (ExecutionOutcome outcome : execution.outcomes()) {
      programs = Math.max(programs, outcome.programIndex() + 1);
      inputs = Math.max(inputs, outcome.inputIndex() + 1);
    }
    List<List<String>> matrix = new ArrayList<>();
    for (int m = 0; m < programs; m++) {
      matrix.add(new ArrayList<>(Collections.nCopies(inputs, (String) null)));
    }
    for (ExecutionOutcome outcome : execution.outcomes()) {
      if (outcome.verdict() == Verdict.OK) {
        matrix
            .get(outcome.programIndex())
            .set(outcome.inputIndex(), comparator.canonical(outcome.stdout()));
      }
    }
    return matrix;
  }

  /** The most common valid output per input (ties: the smallest string), or null if none. */
  public static List<String> majority(List<List<String>> matrix) {
    List<String> result = new ArrayList<>();
    int inputs = matrix.isEmpty() ? 0 : matrix.get(0).size();
    for (int t = 0; t < inputs; t++) {
      Map<String, Integer> counts = new TreeMap<>();
      for (List<String> row : matrix) {
        if (row.get(t) != null) {
          counts.merge(row.get(t), 1, Integer::sum);
        }
      }
      String best = null;
      int bestCount = 0;
      for (var entry : counts.entrySet()) {
        if (entry.getValue() > bestCount) {
          best = entry.getKey();
          bestCount = entry.getValue();
        }
      }
      result.add(best);
    }
    return result;
  }
}
