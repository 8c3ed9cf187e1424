package dev.quarry.core.difficulty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * QueST's self-consistency difficulty over M rollouts on T inputs:
 *
 * <pre>δ = 1 − (1/T') Σ_t max_o |{m : out_m(x_t) = o}| / M_t</pre>
 *
 * where only valid executions count: M_t is the number of rollouts that ran validly on input t, and
 * T' the number of inputs with at least {@link ValidityRule#minRolloutsPerInput()} of them. High
 * agreement among solvers means an easy problem; disagreement means a hard one.
 */
public final class SelfConsistency {
  /** The start of the invalid reason of a candidate with fewer solver replies than the minimum. */
  public static final String TOO_FEW_REPLIES = "too few solver replies";

  private SelfConsistency() {}

  /**
   * @param outputs outputs[m][t]: rollout m's canonical output on input t, or null when that
   *     execution was not valid (error, timeout, no program); one row per solver reply that exists
   *     (a reply the endpoint never returned has no row)
   */
  public static DifficultyScore score(List<List<String>> outputs, ValidityRule rule) {
    int rollouts = outputs.size();
    if (rollouts < rule.minReplies()) {
      return DifficultyScore.invalid(
          TOO_FEW_REPLIES + ": " + rollouts + " < minimum " + rule.minReplies(), 0, 0, 0, 0);
    }
    int inputs = outputs.get(0).size();
    for (List<String> row : outputs) {
      if (row.size() != inputs) {
        throw new IllegalArgumentException("every rollout needs one output per input");
      }
    }
    if (inputs == 0) {
      return DifficultyScore.invalid("no test inputs", 0, 0, 0, 0);
    }
    int validInputs = 0;
    int validExecutions = 0;
    double agreementSum = 0;
    for (int t = 0; t < inputs; t++) {
      Map<String, Integer> counts = new HashMap<>();
      int valid = 0;
      for (List<String> row : outputs) {
        String out = row.get(t);
        if (out != null) {
          valid++;
          counts.merge(out, 1, Integer::sum);
        }
      }
      validExecutions += valid;
      if (valid < rule.minRolloutsPerInput()) {
        continue; // QueST drops an input on which too few rollouts ran validly
      }
      int majority = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      agreementSum += (double) majority / valid;
      validInputs++;
    }
    int totalExecutions = rollouts * inputs;
    if (validInputs < rule.minValidInputs()) {
      String reason =
          validExecutions == 0
              ? "no valid execution"
              : "too few valid inputs: "
                  + validInputs
                  + " < "
                  + rule.minValidInputs()
                  + " (an input needs "
                  + rule.minRolloutsPerInput()
                  + " valid rollouts)";
      return DifficultyScore.invalid(reason, validInputs, inputs, validExecutions, totalExecutions);
    }
    double delta = 1.0 - agreementSum / validInputs;
    return new DifficultyScore(
        true, delta, validInputs, inputs, validExecutions, totalExecutions, null);
  }
}
