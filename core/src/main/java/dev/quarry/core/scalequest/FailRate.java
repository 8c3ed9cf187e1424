package dev.quarry.core.scalequest;

import dev.quarry.core.answers.AnswerMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * ScaleQuest's difficulty: the fail rate of n solver samples on a question. A synthetic question
 * has no reference answer, so the reference is the samples' majority answer (self-consistency;
 * ties go to the answer seen first) and fail rate = 1 − (samples agreeing with it) / n. A sample
 * without a final answer counts as failed; with no answer at all the fail rate is 1.
 *
 * @param reference the majority answer as first written, null when no sample answered
 */
public record FailRate(double failRate, int samples, int answered, int agreeing, String reference) {
  /** The answers' equivalence SPARQ uses too: normalised spelling, or numbers within 1e-6. */
  private static final AnswerMatcher MATCHER = new AnswerMatcher(1e-6);


  /** @param answers one per sample, null where the sample stated no final answer */
  public static FailRate byMajority(List<String> answers) {
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
    if (best < 0 || n == 0) {
      return new FailRate(1.0, n, answered, 0, null);
    }
    int agreeing = counts.get(best);
    return new FailRate(1.0 - (double) agreeing / n, n, answered, agreeing, representatives.get(best));
  }

  /** ScaleQuest drops overly simple questions; {@code max} can also drop hopeless ones. */
  public boolean within(double min, double max) {
    return failRate >= min && failRate <= max;
  }
}
