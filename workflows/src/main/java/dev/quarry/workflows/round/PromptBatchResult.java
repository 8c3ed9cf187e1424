package dev.quarry.workflows.round;

/**
 * A finished batch.
 *
 * @param unreported the counts of the prompts not yet sent to the round by signal
 */
public record PromptBatchResult(int batch, int firstPrompt, int prompts, PromptTally unreported) {}
