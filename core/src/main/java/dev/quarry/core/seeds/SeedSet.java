package dev.quarry.core.seeds;

import java.util.List;

/** Seeds loaded from a file, plus every line that was skipped and why. */
public record SeedSet(String source, List<SeedProblem> problems, List<SkippedLine> skipped) {
  public SeedSet {
    problems = List.copyOf(problems);
    skipped = List.copyOf(skipped);
  }
}
