package dev.quarry.workflows.sparq;

import dev.quarry.workflows.Usage;

/** What a round needs of a finished SPARQ prompt; the full record is in the store. */
public record SparqPromptOutcome(
    int promptIndex,
    boolean valid,
    double solveRate,
    double quality,
    int rollouts,
    String invalidReason,
    Usage usage) {}
