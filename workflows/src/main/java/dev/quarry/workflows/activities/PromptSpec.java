package dev.quarry.workflows.activities;

import java.util.List;

/** One sampled prompt: the concept combination and the seed problems shown as examples. */
public record PromptSpec(int promptIndex, List<String> concepts, List<String> fewShotSeedIds) {
  public PromptSpec {
    concepts = concepts == null ? List.of() : List.copyOf(concepts);
    fewShotSeedIds = fewShotSeedIds == null ? List.of() : List.copyOf(fewShotSeedIds);
  }
}
