package dev.quarry.workers.cli.concepts;

import dev.quarry.activities.store.AtomicFiles;
import dev.quarry.activities.store.Json;
import dev.quarry.core.artifacts.ConceptExtractionArtifact;
import dev.quarry.core.concepts.ConceptGraph;
import dev.quarry.core.concepts.ConceptGraphExport;
import dev.quarry.core.concepts.ExtractedConcepts;
import dev.quarry.core.seeds.SeedFileException;
import dev.quarry.core.seeds.SeedFormat;
import dev.quarry.core.seeds.SeedProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "graph",
    description = {
      "Export the concept graph of a seed file: every concept, and every edge with freq, diff and",
      "weight = log(alpha*freq + (1-alpha)*diff + 1e-6)."
    })
public class ConceptsGraphCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seeds", required = true, description = "The seed problems (JSONL).")
  Path seeds;

  @Option(names = "--seed-format", defaultValue = "quarry", description = "quarry or taco.")
  String seedFormat;

  @Option(names = "--alpha", defaultValue = "0.2", description = "QueST's alpha in [0, 1].")
  double alpha;

  @Option(names = "--format", defaultValue = "json", description = "json, graphml or dot.")
  String format;

  @Option(names = "--out", description = "Write here (default: standard output).")
  Path out;

  @Option(
      names = "--mapping",
      description =
          "A run's concepts-mapping.json: use its extracted concepts instead of the file's.")
  Path mapping;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (!(alpha >= 0 && alpha <= 1)) {
      return fail(stderr, "--alpha " + alpha + " is outside [0, 1]");
    }
    ConceptGraphExport.Format exportFormat;
    SeedFormat loader;
    try {
      exportFormat = ConceptGraphExport.Format.parse(format);
      loader = SeedFormat.valueOf(seedFormat.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return fail(
          stderr,
          e.getMessage().startsWith("unknown graph format")
              ? e.getMessage()
              : "--seed-format '" + seedFormat + "' is not quarry or taco");
    }
    List<SeedProblem> problems;
    try {
      problems = loader.load(seeds).problems();
      if (mapping != null) {
        ConceptExtractionArtifact extraction =
            Json.read(Files.readAllBytes(mapping), ConceptExtractionArtifact.class);
        problems = ExtractedConcepts.apply(problems, extraction);
      }
    } catch (SeedFileException e) {
      return fail(stderr, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return fail(stderr, "cannot read the mapping file " + mapping + ": " + e.getMessage());
    }
    ConceptGraph graph = ConceptGraph.build(problems, alpha);
    String text = ConceptGraphExport.write(graph, exportFormat);
    if (out == null) {
      stdout.print(text);
      stdout.flush();
      return 0;
    }
    try {
      AtomicFiles.write(out, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return fail(stderr, "cannot write " + out + ": " + e.getMessage());
    }
    stderr.println(
        graph.concepts().size()
            + " concepts, "
            + graph.edges().size()
            + " edges, alpha "
            + alpha
            + " -> "
            + out);
    return 0;
  }

  private static int fail(PrintWriter err, String message) {
    err.println(message);
    return 2;
  }
}
