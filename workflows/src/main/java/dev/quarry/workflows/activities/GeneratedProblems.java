package dev.quarry.workflows.activities;

import dev.quarry.workflows.TokenUsage;
import java.util.List;

/** The K candidates of one prompt and what writing them cost. */
public record GeneratedProblems(List<GeneratedProblem> problems, TokenUsage usage) {}
