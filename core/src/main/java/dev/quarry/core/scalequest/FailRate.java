package dev.quarry.core.scalequest;

import dev.quarry.core.answers.AnswerMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * ScaleQuest's difficulty: the fail rate of the solver samples on a question. A synthetic question
 * has no reference answer, so the reference is the samples' majority answer (self-consistency; ties
 * go to the answer seen first) and fail rate = 1 − (samples agreeing with it) / (samples that
 * exist). A sample that exists but states no final answer counts as failed. A sample the endpoint
 * never returned is no sample: it is counted in {@code missing} and in no denominator.
 *
 * <p>The rate is undefined, and the question invalid (not hard), when fewer samples exist than the
 * minimum asked for, or when no sample states an answer (there is no majority to fail against).
 * {@link #within} is then false, and {@code invalidReason} says why.
 *
 * @param samples the samples that exist: the denominator
 * @param reference the majority answer as first written, null when no sample answered
 * @param missing samples asked for but never returned (0 in outcomes recorded before it was kept)
 * @param invalidReason why the rate is undefined; null when it is a measurement
 */
public record FailRate(
    double failRate,
    int samples,
    int answered,
    int agreeing,
    String reference,
    int missing,
    String invalidReason) {

  public FailRate(double failRate, int samples, int answered, int agreeing, String reference) {
    this(failRate, samples, answered, agreeing, reference, 0, null);
  }

  /** The answers' equivalence SPARQ uses too: normalised spelling, or numbers within 1e-6. */
  private static final AnswerMatcher MATCHER = new AnswerMatcher(1e-6);

  /**
   * @param answers one per existing sample, null where the sample stated no final answer
   */
  public static FailRate byMajority(List<String> answers) {
    return byMajority(answers, 0, 1);
  }

  /**
   * @param answers one per existing sample, null where the sample stated no final answer
   * @param missing samples asked for but not returned
   * @param minSamples the fewest existing samples the rate may stand on (at least 1)
   */
  public static FailRate byMajority(List<String> answers, int missing, int minSamples) {
    List<String> representatives = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    int answered = 0;
    for (String answer : answers) {
      if (answer == null) {
        continue;
      }
      answered++;
      int found = -1;
      for (int i = 0; i < representatives.size() && found < 0; i++) {
        if (MATCHER.equivalent(representatives.get(i), answer)) {
          found = i;
        }
      }
      if (found < 0) {
        representatives.add(answer);
        counts.add(1);
      } else {
        counts.set(found, counts.get(found) + 1);
      }
    }
    int best = -1;
    for (int i = 0; i < counts.size(); i++) {
      if (best < 0 || counts.get(i) > counts.get(best)) {
        best = i;
      }
    }
    int n = answers.size();
    if (n < Math.max(1, minSamples)) {
      return new FailRate(
          0,
          n,
          answered,
          0,
          null,
          missing,
          "too few solver replies: "
              + n
              + " of "
              + (n + missing)
              + " < minimum "
              + Math.max(1, minSamples));
    }
    if (best < 0) {
      return new FailRate(0, n, 0, 0, null, missing, "no solver reply states a final answer");
    }
    int agreeing = counts.get(best);
    return new FailRate(
        1.0 - (double) agreeing / n,
        n,
        answered,
        agreeing,
        representatives.get(best),
        missing,
        null);
  }

  public boolean valid() {
    return invalidReason == null;
  }

  /**
   * ScaleQuest drops overly simple questions; {@code max} can also drop hopeless ones. An undefined
   * rate is within no bounds.
   */
  public boolean within(double min, double max) {
    return valid() && failRate >= min && failRate <= max;
  }
}
