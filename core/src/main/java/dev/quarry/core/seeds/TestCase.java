package dev.quarry.core.seeds;

/** One stdin/stdout test: feed {@code input}, expect {@code output}. */
public record TestCase(String input, String output) {}
