package dev.quarry.core.adaptive;

import dev.quarry.core.difficulty.ValidityRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values QueST's δ can still end at when {@code remaining} more rollouts are made, from the
 * outputs so far. On input t with n_t valid executions whose largest agreeing group has c_t
 * members, r more rollouts leave the agreement c'/n' between c_t / (n_t + r) (every new one valid
 * and agreeing with nobody) and (c_t + r) / (n_t + r) (every new one valid and joining the largest
 * group); a new rollout that is not valid leaves both inside that range. So
 *
 * <pre>δ_final ∈ [1 − mean_t (c_t + r)/(n_t + r), 1 − mean_t c_t/(n_t + r)]</pre>
 *
 * The bound needs the set of counted inputs to be final: that holds once every input already has
 * the rule's minimum of valid rollouts (more rollouts only add to n_t). Before that, an input may
 * still enter or leave the mean, and no bound is given.
 */
public final class DeltaBounds {
  private DeltaBounds() {}

  /**
   * @param outputs outputs[m][t], null where rollout m's execution on input t was not valid
   * @return the interval, or empty while an input may still change whether it counts
   */
  public static Optional<Interval> of(
      List<List<String>> outputs, int remaining, ValidityRule rule) {
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining must be >= 0, got " + remaining);
    }
    if (outputs.isEmpty()) {
      return Optional.empty();
    }
    int inputs = outputs.get(0).size();
    if (inputs == 0) {
      return Optional.empty();
    }
    double loAgreement = 0;
    double hiAgreement = 0;
    for (int t = 0; t < inputs; t++) {
      Map<String, Integer> groups = new HashMap<>();
      int valid = 0;
      for (List<String> rollout : outputs) {
        String out = rollout.get(t);
        if (out != null) {
          valid++;
          groups.merge(out, 1, Integer::sum);
        }
      }
      if (valid < rule.minRolloutsPerInput()) {
        return Optional.empty();
      }
      int largest = groups.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      loAgreement += (double) largest / (valid + remaining);
      hiAgreement += (double) (largest + remaining) / (valid + remaining);
    }
    if (inputs < rule.minValidInputs()) {
      return Optional.empty();
    }
    return Optional.of(new Interval(1 - hiAgreement / inputs, 1 - loAgreement / inputs));
  }

  /**
   * δ at confidence z: on each input, the Wilson interval of the largest group's share c_t / n_t,
   * so δ ∈ [1 − mean_t hi_t, 1 − mean_t lo_t]. A statement about the δ the solver's sampling tends
   * to (the bound on each share holds at z, so their mean at least as well), narrower than {@link
   * #of}'s, which holds for every outcome of the remaining rollouts. Empty under the same
   * condition: while an input may still change whether it counts.
   */
  public static Optional<Interval> atConfidence(
      List<List<String>> outputs, double z, ValidityRule rule) {
    if (outputs.isEmpty()
        || outputs.get(0).isEmpty()
        || outputs.get(0).size() < rule.minValidInputs()) {
      return Optional.empty();
    }
    int inputs = outputs.get(0).size();
    double lo = 0;
    double hi = 0;
    for (int t = 0; t < inputs; t++) {
      Map<String, Integer> groups = new HashMap<>();
      int valid = 0;
      for (List<String> rollout : outputs) {
        String out = rollout.get(t);
        if (out != null) {
          valid++;
          groups.merge(out, 1, Integer::sum);
        }
      }
      if (valid < rule.minRolloutsPerInput()) {
        return Optional.empty();
      }
      int largest = groups.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      Interval share = Proportions.wilson(largest, valid, z);
      lo += share.lo();
      hi += share.hi();
    }
    return Optional.of(new Interval(1 - hi / inputs, 1 - lo / inputs));
  }
}
