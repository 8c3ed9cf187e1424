package dev.quarry.workflows.activities;

import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.SeedsConfig;

/**
 * Extract the concepts of every seed problem.
 *
 * @param key names the work in heartbeats and logs (the round's id)
 * @param seed the base of each seed problem's sampling seed: the same for every round of a run, so
 *     later rounds are answered from the response cache
 */
public record ExtractConceptsRequest(
    String key, SeedsConfig seeds, RoleConfig extractor, long seed) {}
