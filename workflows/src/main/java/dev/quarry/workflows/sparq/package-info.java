/**
 * The SPARQ method's workflows and activity contracts. A round ({@link SparqRound}, run by the
 * GenerationRound workflow when {@code method: sparq}) loads the archive and draws one parent per
 * prompt, evaluates each prompt in a {@link SparqPromptWorkflow} child (mutate → tag skills → K
 * rollouts → solve rate and quality), inserts the round's problems into the archive, and writes the
 * filtered dataset shard.
 */
package dev.quarry.workflows.sparq;
