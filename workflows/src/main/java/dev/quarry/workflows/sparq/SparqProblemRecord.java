package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.sparq.Niche;
import dev.quarry.workflows.Usage;
import java.util.List;

/**
 * The durable record of one SPARQ prompt, written under its (run, round, prompt) key. Fields of
 * stages the problem never reached are null; {@code invalidReason} then says why.
 *
 * @param key the problem's dataset key (also its archive id)
 * @param tagged the skills the tagger named; {@code niche} keeps the known ones
 */
public record SparqProblemRecord(
    String runId,
    int round,
    int promptIndex,
    String key,
    String parentId,
    Niche parentNiche,
    String generatorVersion,
    ArtifactRef problem,
    String referenceAnswer,
    List<String> tagged,
    Niche niche,
    ArtifactRef rollouts,
    SolveRateScore score,
    String invalidReason,
    Usage usage) {
  public SparqProblemRecord {
    tagged = tagged == null ? List.of() : List.copyOf(tagged);
  }

  public boolean valid() {
    return invalidReason == null && score != null;
  }
}
