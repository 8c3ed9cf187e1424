package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.activities.ConceptMappingRef;
import java.util.Set;

/**
 * A contiguous range of a big round's prompts, evaluated by one {@link PromptBatchWorkflow}. The
 * batch samples its own prompts (the round's sampling seed, absolute prompt indices), so the
 * round's history never carries the whole prompt list and the prompts, ids and seeds are exactly
 * those an unbatched round would use.
 *
 * @param roundWorkflowId where progress signals go
 * @param samplingSeed the round's sampling seed
 * @param progressEvery send the round a progress signal after this many finished prompts
 */
public record PromptBatchInput(
    String runId,
    int round,
    int batch,
    int firstPrompt,
    int prompts,
    RunConfig config,
    String generatorVersion,
    long samplingSeed,
    ConceptMappingRef extracted,
    Set<String> searchAttributes,
    String roundWorkflowId,
    int progressEvery,
    boolean paused) {
  public PromptBatchInput {
    searchAttributes = searchAttributes == null ? Set.of() : Set.copyOf(searchAttributes);
  }
}
