package dev.quarry.workflows.prompt;

import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.PromptSpec;
import java.util.List;

/**
 * The durable record of one evaluated prompt, written under its (run, round, prompt) key.
 *
 * @param selectedCandidate index of the hardest valid candidate, or -1 when none was valid
 */
public record PromptRecord(
    String runId,
    int round,
    PromptSpec prompt,
    String generatorVersion,
    List<CandidateSummary> candidates,
    int selectedCandidate,
    Usage usage) {}
