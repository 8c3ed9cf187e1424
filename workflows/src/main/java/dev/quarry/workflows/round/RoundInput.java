package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;
import java.util.Set;

/**
 * One round of a run.
 *
 * @param searchAttributes Quarry's search attributes the namespace has registered (see
 *     dev.quarry.workflows.Visibility); empty in rounds started before visibility existed
 */
public record RoundInput(
    String runId,
    int round,
    RunConfig config,
    String generatorVersion,
    Set<String> searchAttributes) {
  public RoundInput {
    searchAttributes = searchAttributes == null ? Set.of() : Set.copyOf(searchAttributes);
  }
}
