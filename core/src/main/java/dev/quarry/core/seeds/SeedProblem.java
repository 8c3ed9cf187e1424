package dev.quarry.core.seeds;

import java.util.List;
import java.util.Set;

/**
 * A human-written problem the concept graph is built from.
 *
 * @param concepts the concepts (skills, topics) the problem exercises; normalised lower case
 * @param difficulty 1 (easy) to 5 (hard)
 * @param solution a reference solution in {@code language} that passes every test; for a math seed
 *     (language {@code math}) the reference final answer
 */
public record SeedProblem(
    String id,
    String title,
    String statement,
    List<String> concepts,
    int difficulty,
    List<TestCase> tests,
    String solution,
    String language) {

  public SeedProblem {
    concepts = List.copyOf(concepts);
    tests = List.copyOf(tests);
  }

  public Set<String> conceptSet() {
    return Set.copyOf(concepts);
  }
}
