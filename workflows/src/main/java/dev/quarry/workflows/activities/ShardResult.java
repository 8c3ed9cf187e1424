package dev.quarry.workflows.activities;

/**
 * Where a round's data went.
 *
 * @param datasetFile JSONL, one row per prompt whose hardest candidate was valid
 * @param candidatesFile JSONL, every candidate with its verdicts or the reason it is invalid
 * @param rftFile the RFT export: chat-format SFT rows for retraining the generator
 */
public record ShardResult(
    String datasetFile, String candidatesFile, String rftFile, int rows, int candidates) {}
