package dev.quarry.workflows.scalequest;

import dev.quarry.workflows.Usage;
import java.util.List;

/**
 * The durable record of one ScaleQuest question, written under its (run, round, prompt) key. Stage
 * outcomes are null for stages that did not run.
 *
 * @param filters every filter, in pipeline order, with its outcome
 * @param kept whether the question and its best response go into the dataset
 * @param rejectedBy the first reason it was not kept; null when kept
 */
public record QuestionRecord(
    String runId,
    int round,
    int promptIndex,
    String generatorVersion,
    GeneratedQuestion question,
    JudgeOutcome judge,
    DifficultyOutcome difficulty,
    ResponsesOutcome responses,
    RewriteOutcome rewrite,
    List<FilterOutcome> filters,
    boolean kept,
    String rejectedBy,
    Usage usage) {
  public QuestionRecord {
    filters = filters == null ? List.of() : List.copyOf(filters);
  }
}
