package dev.quarry.core.concepts;

import dev.quarry.core.artifacts.ConceptExtractionArtifact;
import dev.quarry.core.artifacts.ConceptExtractionArtifact.SeedConcepts;
import dev.quarry.core.artifacts.ConceptExtractionArtifact.Source;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.seeds.SeedProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the extractor's answers for a seed set into the concepts the graph uses: all raw names of
 * all seeds are merged together (so "Prefix Sums" in one seed and "prefix sum" in another become
 * one concept), and each seed gets the canonical concepts of its own names. A seed whose answer was
 * unusable keeps the concepts its file gives, if any.
 */
public final class ExtractedConcepts {
  /** The model's names for one seed exactly as written, or why there are none. */
  public record Answer(List<String> raw, String error) {
    public Answer {
      raw = raw == null ? List.of() : List.copyOf(raw);
    }

    public static Answer of(List<String> raw) {
      return new Answer(raw, null);
    }

    public static Answer failed(String error) {
      return new Answer(List.of(), error);
    }
  }

  private ExtractedConcepts() {}

  /**
   * @param answers seed id → answer; a seed without an answer counts as failed
   */
  public static ConceptExtractionArtifact assemble(
      String seedsFile,
      SamplingRecord extractor,
      List<SeedProblem> seeds,
      Map<String, Answer> answers) {
    List<String> allRaw = new ArrayList<>();
    for (SeedProblem seed : seeds) {
      Answer answer = answers.get(seed.id());
      if (answer != null) {
        allRaw.addAll(answer.raw());
      }
    }
    ConceptMapping mapping = ConceptMapping.of(allRaw);
    List<SeedConcepts> result = new ArrayList<>();
    for (SeedProblem seed : seeds) {
      Answer answer = answers.getOrDefault(seed.id(), Answer.failed("no answer"));
      List<String> canonical = mapping.canonical(answer.raw());
      String error = answer.error();
      if (error == null && canonical.isEmpty()) {
        error = "no usable concept name in " + answer.raw();
      }
      Source source =
          error == null ? Source.EXTRACTED : seed.concepts().isEmpty() ? Source.NONE : Source.GIVEN;
      List<String> concepts =
          switch (source) {
            case EXTRACTED -> canonical;
            case GIVEN -> seed.concepts();
            case NONE -> List.of();
          };
      result.add(
          new SeedConcepts(seed.id(), seed.concepts(), answer.raw(), concepts, source, error));
    }
    return new ConceptExtractionArtifact(
        seedsFile, extractor, result, mapping.rawToCanonical(), mapping.groups());
  }

  /** The seeds with the graph's concepts in place of the file's; unknown ids keep theirs. */
  public static List<SeedProblem> apply(
      List<SeedProblem> seeds, ConceptExtractionArtifact extraction) {
    Map<String, List<String>> byId = extraction.conceptsById();
    List<SeedProblem> result = new ArrayList<>();
    for (SeedProblem s : seeds) {
      List<String> concepts = byId.getOrDefault(s.id(), s.concepts());
      result.add(
          new SeedProblem(
              s.id(),
              s.title(),
              s.statement(),
              concepts,
              s.difficulty(),
              s.tests(),
              s.solution(),
              s.language()));
    }
    return result;
  }
}
