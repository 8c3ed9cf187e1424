package dev.quarry.activities.concepts;

import dev.quarry.activities.dataset.DatasetActivitiesImpl;
import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.artifacts.ConceptExtractionArtifact;
import dev.quarry.core.concepts.ConceptGraph;
import dev.quarry.core.concepts.ConceptWalk;
import dev.quarry.core.concepts.ExtractedConcepts;
import dev.quarry.core.concepts.FewShotSelector;
import dev.quarry.core.seeds.SeedProblem;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.activities.ConceptActivities;
import dev.quarry.workflows.activities.ConceptMappingRef;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.SamplePromptsRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples concept combinations by QueST's random walk; deterministic for a given seed. With
 * extracted concepts, the graph is built from them and the run's mapping file is (re)written.
 */
public final class ConceptActivitiesImpl implements ConceptActivities {
  /** The inspectable raw → canonical concept mapping, in the run's output folder. */
  public static final String MAPPING_FILE = "concepts-mapping.json";

  private final SeedRepository seeds;
  private final FileArtifactStore store;
  private final DatasetFiles files;

  public ConceptActivitiesImpl(SeedRepository seeds, FileArtifactStore store) {
    this(seeds, store, DatasetFiles.local());
  }

  public ConceptActivitiesImpl(SeedRepository seeds, FileArtifactStore store, DatasetFiles files) {
    this.files = files;
    this.seeds = seeds;
    this.store = store;
  }

  @Override
  public List<PromptSpec> samplePrompts(SamplePromptsRequest request) {
    double alpha = request.concepts().alpha();
    List<SeedProblem> problems = seeds.seeds(request.seeds()).problems();
    ConceptGraph graph;
    if (request.extracted() == null) {
      graph = seeds.graph(request.seeds(), alpha);
    } else {
      ConceptExtractionArtifact extraction = readExtraction(request.extracted());
      writeMapping(request.extracted(), extraction);
      problems = ExtractedConcepts.apply(problems, extraction);
      graph = seeds.graph(request.extracted().extraction(), problems, alpha);
    }
    ConceptWalk walk;
    try {
      walk = new ConceptWalk(graph, request.concepts().maxSteps());
    } catch (IllegalArgumentException e) {
      throw Failures.dataMissing(e.getMessage());
    }
    List<PromptSpec> prompts = new ArrayList<>(request.count());
    int first = request.firstIndex();
    for (int i = first; i < first + request.count(); i++) {
      List<String> concepts = walk.walk(SeedMixer.derive(request.seed(), i));
      List<String> fewShot =
          FewShotSelector.nearest(problems, concepts, request.concepts().fewShot()).stream()
              .map(SeedProblem::id)
              .toList();
      prompts.add(new PromptSpec(i, concepts, fewShot));
    }
    return prompts;
  }

  public static Path mappingFile(String outputDir, String runId) {
    return DatasetActivitiesImpl.runDirectory(outputDir, runId).resolve(MAPPING_FILE);
  }

  private ConceptExtractionArtifact readExtraction(ConceptMappingRef ref) {
    try {
      return store.getJson(ref.extraction(), ConceptExtractionArtifact.class);
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
  }

  /** Atomic and idempotent: every round writes the same content for the same extraction. */
  private void writeMapping(ConceptMappingRef ref, ConceptExtractionArtifact extraction) {
    try {
      files.write(
          mappingFile(ref.outputDir(), ref.runId()),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(extraction));
    } catch (IOException e) {
      throw Failures.infrastructure("DatasetWriteFailed", e.getMessage(), e);
    }
  }
}
