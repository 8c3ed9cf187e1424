package dev.quarry.core.config;

import dev.quarry.core.seeds.SeedFormat;

/** Where the seed problems come from. Paths are resolved by the worker that reads them. */
public record SeedsConfig(String file, SeedFormat format) {}
