/**
 * ScaleQuest (method: scalequest): questions generated from scratch by a question generator fed a
 * raw prefix, then filtered — language, solvability judge, difficulty by fail rate — answered by N
 * solver samples of which a reward model keeps the best, and rewritten towards solvability or
 * difficulty for QPO preference data. One {@code ScaleQuestQuestion} child workflow per question;
 * every filter's outcome is recorded on the question's row.
 */
package dev.quarry.workflows.scalequest;
