package dev.quarry.workflows.sparq;

import java.util.List;

/**
 * The parents of a round's prompts, the skill vocabulary the tagger chooses from, and the size of
 * the archive they were drawn from.
 */
public record PreparedRound(
    List<SparqParent> parents, List<String> vocabulary, int archiveSize, int archiveNiches) {
  public PreparedRound {
    parents = List.copyOf(parents);
    vocabulary = List.copyOf(vocabulary);
  }
}
