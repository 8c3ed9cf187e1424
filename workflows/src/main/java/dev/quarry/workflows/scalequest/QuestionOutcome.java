package dev.quarry.workflows.scalequest;

import dev.quarry.workflows.Usage;

/**
 * What a round needs of a finished question; small, since the round's history holds one per
 * question. The full record sits in the store under the question's key.
 *
 * @param rejectedBy a short, countable reason (e.g. "solvability: unsolvable"); null when kept
 * @param failRate the measured fail rate, or -1 when difficulty was not measured
 */
public record QuestionOutcome(
    int promptIndex,
    boolean kept,
    String rejectedBy,
    double failRate,
    int solverSamples,
    boolean dpoPair,
    Usage usage) {}
