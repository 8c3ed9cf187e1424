package dev.quarry.activities.concepts;

import dev.quarry.activities.support.Failures;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.concepts.ConceptGraph;
import dev.quarry.core.config.SeedsConfig;
import dev.quarry.core.seeds.SeedFileException;
import dev.quarry.core.seeds.SeedProblem;
import dev.quarry.core.seeds.SeedSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads seed sets and their concept graphs once per worker, keyed by file, size and modification
 * time, so a changed seed file is re-read rather than served stale.
 */
public final class SeedRepository {
  private record FileKey(Path path, long size, long modified, String format) {}

  private record GraphKey(FileKey file, double alpha) {}

  private record ExtractedGraphKey(ArtifactRef extraction, double alpha) {}

  private final Map<FileKey, SeedSet> seedSets = new ConcurrentHashMap<>();
  private final Map<GraphKey, ConceptGraph> graphs = new ConcurrentHashMap<>();
  private final Map<ExtractedGraphKey, ConceptGraph> extractedGraphs = new ConcurrentHashMap<>();

  public SeedSet seeds(SeedsConfig config) {
    FileKey key = keyOf(config);
    return seedSets.computeIfAbsent(key, k -> load(config, k.path()));
  }

  public ConceptGraph graph(SeedsConfig config, double alpha) {
    FileKey file = keyOf(config);
    return graphs.computeIfAbsent(
        new GraphKey(file, alpha), k -> ConceptGraph.build(seeds(config).problems(), alpha));
  }

  /**
   * The graph over seeds whose concepts were extracted; keyed by the extraction's content address,
   * which already pins the seed file and the answers.
   */
  public ConceptGraph graph(ArtifactRef extraction, List<SeedProblem> withConcepts, double alpha) {
    return extractedGraphs.computeIfAbsent(
        new ExtractedGraphKey(extraction, alpha), k -> ConceptGraph.build(withConcepts, alpha));
  }

  public Optional<SeedProblem> byId(SeedsConfig config, String id) {
    return seeds(config).problems().stream().filter(p -> p.id().equals(id)).findFirst();
  }

  private static FileKey keyOf(SeedsConfig config) {
    Path path = Path.of(config.file()).toAbsolutePath().normalize();
    try {
      return new FileKey(
          path,
          Files.size(path),
          Files.getLastModifiedTime(path).toMillis(),
          config.format().name());
    } catch (IOException e) {
      throw Failures.dataMissing(
          "seed file "
              + path
              + " cannot be read on this worker: "
              + e.getMessage()
              + " (seeds.file must be readable by every worker; use an absolute path)");
    }
  }

  private static SeedSet load(SeedsConfig config, Path path) {
    try {
      return config.format().load(path);
    } catch (SeedFileException e) {
      throw Failures.dataMissing(e.getMessage());
    }
  }
}
