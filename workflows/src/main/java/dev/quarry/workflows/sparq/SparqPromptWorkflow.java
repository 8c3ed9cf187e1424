package dev.quarry.workflows.sparq;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One SPARQ prompt ({@code RUN/round-N/prompt-I}): the generator mutates the parent into a new
 * problem with a reference answer; the tagger names its skills while K solver rollouts run; the
 * solve rate gives its quality; the record is written under the prompt's key.
 */
@WorkflowInterface
public interface SparqPromptWorkflow {
  @WorkflowMethod(name = "SparqPrompt")
  SparqPromptOutcome evaluate(SparqPromptInput input);
}
