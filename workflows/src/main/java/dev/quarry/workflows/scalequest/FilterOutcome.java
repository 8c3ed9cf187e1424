package dev.quarry.workflows.scalequest;

/**
 * One filter's result on one question.
 *
 * @param filter language, solvability, difficulty or answerPresent
 * @param passed null when the filter did not run (the question was rejected earlier, and
 *     runAllFilters is off)
 * @param detail what the filter saw: shares, the verdict, the fail rate, the answer
 */
public record FilterOutcome(String filter, Boolean passed, String detail) {
  public static final String LANGUAGE = "language";
  public static final String SOLVABILITY = "solvability";
  public static final String DIFFICULTY = "difficulty";
  public static final String ANSWER_PRESENT = "answerPresent";

  public static FilterOutcome notRun(String filter) {
    return new FilterOutcome(filter, null, "not run: the question was rejected before this filter");
  }
}
