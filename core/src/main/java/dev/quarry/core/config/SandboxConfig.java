package dev.quarry.core.config;

import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.Language;

/** Per-execution limits and the output comparison recorded on every verdict. */
public record SandboxConfig(
    Language language, double wallSeconds, int memoryMb, int outputBytes, Comparison comparison) {}
