package dev.quarry.core.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedLoaderTest {
  @TempDir Path dir;

  @Test
  void quarryFormatSkipsMalformedLinesByNumber() throws IOException {
    Path file = dir.resolve("seeds.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\":\"a\",\"statement\":\"S\",\"concepts\":[\"Dynamic  Programming\"],\"difficulty\":3,\"tests\":[{\"input\":\"1\\n\",\"output\":\"2\\n\"}],\"solution\":\"print(2)\"}",
            "{not json",
            "{\"id\":\"b\",\"statement\":\"S\",\"concepts\":[\"x\"],\"difficulty\":9}",
            ""));
    SeedSet set = SeedFormat.QUARRY.load(file);
    assertEquals(1, set.problems().size());
    assertEquals("dynamic programming", set.problems().get(0).concepts().get(0));
    assertEquals(2, set.skipped().size());
    assertEquals(2, set.skipped().get(0).lineNumber());
    assertEquals(3, set.skipped().get(1).lineNumber());
    assertTrue(set.skipped().get(1).reason().contains("difficulty"));
  }

  @Test
  void seedsWithoutConceptsLoadForExtraction() throws IOException {
    Path file = dir.resolve("bare.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\":\"a\",\"statement\":\"S\",\"difficulty\":2}",
            "{\"id\":\"b\",\"statement\":\"S\",\"concepts\":[],\"difficulty\":2}",
            "{\"id\":\"c\",\"statement\":\"S\",\"concepts\":\"dp\",\"difficulty\":2}",
            ""));
    SeedSet set = SeedFormat.QUARRY.load(file);
    assertEquals(2, set.problems().size());
    assertEquals(List.of(), set.problems().get(0).concepts());
    assertTrue(set.skipped().get(0).reason().contains("'concepts' must be a list"));
  }

  @Test
  void tacoRowsBecomeSeeds() throws IOException {
    Path file = dir.resolve("taco.jsonl");
    Files.writeString(
        file,
        "{\"question\":\"Q\",\"solutions\":\"[\\\"print(1)\\\"]\",\"input_output\":\"{\\\"inputs\\\":[\\\"1\\\\n\\\"],\\\"outputs\\\":[\\\"1\\\\n\\\"]}\",\"difficulty\":\"MEDIUM_HARD\",\"tags\":\"[\\\"Sorting\\\",\\\"Greedy\\\"]\",\"skill_types\":\"[\\\"Sorting\\\"]\"}\n");
    SeedProblem seed = SeedFormat.TACO.load(file).problems().get(0);
    assertEquals(3, seed.difficulty());
    assertEquals(List.of("sorting", "greedy"), seed.concepts());
    assertEquals("print(1)", seed.solution());
    assertEquals(1, seed.tests().size());
  }

  @Test
  void aMissingOrUselessFileIsAClearError() throws IOException {
    var missing =
        assertThrows(
            SeedFileException.class, () -> SeedFormat.QUARRY.load(dir.resolve("nope.jsonl")));
    assertTrue(missing.getMessage().contains("not found"));
    Path junk = dir.resolve("junk.jsonl");
    Files.writeString(junk, "garbage\n");
    assertTrue(
        assertThrows(SeedFileException.class, () -> SeedFormat.QUARRY.load(junk))
            .getMessage()
            .contains("line 1"));
  }
}
