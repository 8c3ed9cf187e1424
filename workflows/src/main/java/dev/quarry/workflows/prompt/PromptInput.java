package dev.quarry.workflows.prompt;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.activities.PromptSpec;

/** One prompt of one round, to be turned into K evaluated candidates. */
public record PromptInput(
    String runId, int round, PromptSpec prompt, RunConfig config, String generatorVersion) {}
