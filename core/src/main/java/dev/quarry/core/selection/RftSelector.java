package dev.quarry.core.selection;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * QueST's rejection-sampling selection: per prompt, keep the valid candidate with the highest δ.
 * Ties go to the lowest candidate index, so selection is deterministic.
 */
public final class RftSelector {
  private RftSelector() {}

  public static Optional<ScoredCandidate> hardest(List<ScoredCandidate> candidates) {
    return candidates.stream()
        .filter(c -> c.score().valid())
        .min(
            Comparator.comparingDouble((ScoredCandidate c) -> -c.score().delta())
                .thenComparingInt(ScoredCandidate::candidateIndex));
  }
}
