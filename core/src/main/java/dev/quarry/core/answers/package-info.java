/**
 * Final answers of math solutions: where a solution states its answer ({@link
 * dev.quarry.core.answers.AnswerExtractor}) and when two answers are the same ({@link
 * dev.quarry.core.answers.AnswerMatcher}). Shared by the math methods (SPARQ, ScaleQuest).
 */
package dev.quarry.core.answers;
