package dev.quarry.core.config;

import dev.quarry.core.sandbox.Comparison;

/** Per-execution limits and the output comparison recorded on every verdict. */
public record SandboxConfig(
    String language, double wallSeconds, int memoryMb, int outputBytes, Comparison comparison) {}
