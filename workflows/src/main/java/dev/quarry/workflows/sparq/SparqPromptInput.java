package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;
import java.util.List;

/** One SPARQ prompt: mutate {@code parent} into a new problem and measure it. */
public record SparqPromptInput(
    String runId,
    int round,
    SparqParent parent,
    List<String> vocabulary,
    RunConfig config,
    String generatorVersion) {
  public SparqPromptInput {
    vocabulary = List.copyOf(vocabulary);
  }
}
