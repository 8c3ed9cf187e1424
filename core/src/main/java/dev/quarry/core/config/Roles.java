package dev.quarry.core.config;

/**
 * The model roles a run uses. Each may point at a different endpoint and model; a method uses the
 * roles its paper needs and ignores the rest.
 *
 * @param generator writes candidate problems (QueST, SPARQ) or questions from scratch (ScaleQuest)
 * @param testWriter writes test inputs for a code candidate (QueST)
 * @param solver writes the rollouts that measure difficulty
 * @param conceptExtractor lists the concepts of a seed problem (QueST)
 * @param judge decides whether a question is solvable (ScaleQuest)
 * @param rewardModel scores candidate responses (ScaleQuest best-of-N)
 * @param rewriter rewrites a question towards solvability or difficulty (ScaleQuest QPO)
 * @param skillTagger names the skills a problem needs (SPARQ)
 */
public record Roles(
    RoleConfig generator,
    RoleConfig testWriter,
    RoleConfig solver,
    RoleConfig conceptExtractor,
    RoleConfig judge,
    RoleConfig rewardModel,
    RoleConfig rewriter,
    RoleConfig skillTagger) {
  /** The same roles with another generator. */
  public Roles withGenerator(RoleConfig newGenerator) {
    return new Roles(
        newGenerator,
        testWriter,
        solver,
        conceptExtractor,
        judge,
        rewardModel,
        rewriter,
        skillTagger);
  }
}
