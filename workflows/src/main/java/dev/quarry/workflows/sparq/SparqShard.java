package dev.quarry.workflows.sparq;

import dev.quarry.workflows.activities.ShardResult;

/** A written SPARQ shard and the mean quality of the rows the final filter kept (0 if none). */
public record SparqShard(ShardResult shard, double meanQuality) {}
