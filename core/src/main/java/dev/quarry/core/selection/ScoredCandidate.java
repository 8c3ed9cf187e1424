package dev.quarry.core.selection;

import dev.quarry.core.difficulty.DifficultyScore;

/** A candidate index with its difficulty, as selection sees it. */
public record ScoredCandidate(int candidateIndex, DifficultyScore score) {}
