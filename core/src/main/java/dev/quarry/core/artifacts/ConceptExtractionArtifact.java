package dev.quarry.core.artifacts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of concept extraction over a seed set, and the file a user inspects ({@code
 * concepts-mapping.json} in the run's output folder).
 *
 * @param seedsFile the seed file the concepts were extracted from
 * @param extractor the model and sampling of the conceptExtractor role
 * @param seeds per seed problem: what was given, what the model wrote, what the graph uses
 * @param rawToCanonical every raw name the model wrote and the canonical concept it became
 * @param groups every canonical concept and the raw names merged into it
 */
public record ConceptExtractionArtifact(
    String seedsFile,
    SamplingRecord extractor,
    List<SeedConcepts> seeds,
    Map<String, String> rawToCanonical,
    Map<String, List<String>> groups) {

  /** Where a seed's graph concepts came from. */
  public enum Source {
    /** The model's answer, normalised and merged. */
    EXTRACTED,
    /** The model's answer was unusable; the seed file's concepts stand in. */
    GIVEN,
    /** Neither: the seed takes no part in the graph. */
    NONE
  }

  /**
   * @param error why the model's answer was unusable, or null
   */
  public record SeedConcepts(
      String id,
      List<String> given,
      List<String> raw,
      List<String> concepts,
      Source source,
      String error) {}

  /** Seed id → the concepts the graph uses. */
  public Map<String, List<String>> conceptsById() {
    Map<String, List<String>> byId = new LinkedHashMap<>();
    for (SeedConcepts s : seeds) {
      byId.put(s.id(), s.concepts());
    }
    return byId;
  }
}
