package dev.quarry.workflows.activities;

import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.SeedsConfig;

/** Ask the generator for K candidate problems for one prompt. */
public record GenerateProblemsRequest(
    String key,
    PromptSpec prompt,
    SeedsConfig seeds,
    RoleConfig generator,
    String generatorVersion,
    int candidates,
    long seed) {}
