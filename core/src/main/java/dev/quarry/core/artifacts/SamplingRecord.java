package dev.quarry.core.artifacts;

import java.util.List;

/** The exact sampling parameters of an LLM call, recorded as lineage on every dataset row. */
public record SamplingRecord(
    String model, double temperature, double topP, int maxTokens, List<String> stop, long seed) {}
