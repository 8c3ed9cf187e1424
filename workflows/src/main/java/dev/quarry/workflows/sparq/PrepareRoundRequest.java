package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;

/**
 * Load (or, on the first round, build) the archive and draw this round's parents.
 *
 * @param firstParent with {@code parents}, the range a batch of a big round wants of the round's
 *     draw (absolute prompt indices); both null for the whole draw
 */
public record PrepareRoundRequest(
    String runId, int round, RunConfig config, long seed, Integer firstParent, Integer parents) {
  public PrepareRoundRequest(String runId, int round, RunConfig config, long seed) {
    this(runId, round, config, seed, null, null);
  }
}
