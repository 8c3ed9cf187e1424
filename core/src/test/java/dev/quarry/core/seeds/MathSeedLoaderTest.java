package dev.quarry.core.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MathSeedLoaderTest {
  @TempDir Path dir;

  @Test
  void readsAnswersAndSkillsAndSkipsMalformedLinesByNumber() throws IOException {
    Path file = dir.resolve("math.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\":\"a\",\"problem\":\"1+1?\",\"answer\":\"2\",\"skills\":[\"Linear  Equations\",\"arithmetic\"]}",
            "{\"id\":\"b\",\"problem\":\"?\",\"skills\":[\"x\"]}",
            "{\"id\":\"c\",\"problem\":\"?\",\"answer\":3,\"skills\":[]}",
            "{broken",
            "{\"id\":\"d\",\"problem\":\"2+2?\",\"answer\":4,\"skills\":[\"arithmetic\"],\"difficulty\":1}",
            "{\"id\":\"e\",\"problem\":\"?\",\"answer\":\"1\",\"skills\":[\"a\",\"b\",\"c\",\"d\"]}",
            ""));
    SeedSet set = SeedFormat.MATH.load(file);
    assertEquals(List.of("a", "d"), set.problems().stream().map(SeedProblem::id).toList());
    SeedProblem a = set.problems().get(0);
    assertEquals(List.of("linear equations", "arithmetic"), a.concepts());
    assertEquals("2", MathSeedLoader.referenceAnswer(a));
    assertEquals(3, a.difficulty(), "difficulty defaults to 3");
    assertEquals("4", MathSeedLoader.referenceAnswer(set.problems().get(1)));
    assertEquals(List.of(2, 3, 4, 6), set.skipped().stream().map(SkippedLine::lineNumber).toList());
    assertTrue(set.skipped().get(0).reason().contains("'answer'"));
    assertTrue(set.skipped().get(1).reason().contains("'skills'"));
    assertTrue(set.skipped().get(3).reason().contains("1 to 3"));
  }

  @Test
  void theShippedMathSeedsAllLoad() {
    SeedSet set = SeedFormat.MATH.load(Path.of("../seeds/math-seeds.jsonl"));
    assertEquals(List.of(), set.skipped());
    assertTrue(set.problems().size() >= 30, "about 30 seeds");
    Set<String> ids = new HashSet<>();
    for (SeedProblem p : set.problems()) {
      assertTrue(ids.add(p.id()), "duplicate id " + p.id());
      assertTrue(!p.concepts().isEmpty() && p.concepts().size() <= 3, p.id());
      assertTrue(!MathSeedLoader.referenceAnswer(p).isBlank(), p.id());
    }
  }

  @Test
  void aQuarrySeedIsNotAMathSeed() {
    SeedProblem code =
        new SeedProblem("q", "t", "s", List.of("x"), 1, List.of(), "print(1)", "python");
    assertThrows(IllegalArgumentException.class, () -> MathSeedLoader.referenceAnswer(code));
  }
}
