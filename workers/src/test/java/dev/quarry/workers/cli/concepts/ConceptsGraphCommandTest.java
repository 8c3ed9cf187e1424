package dev.quarry.workers.cli.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code quarry concepts graph} on the shipped seed set. */
class ConceptsGraphCommandTest {
  @TempDir Path temp;
  static final String SEEDS = Path.of("../seeds/quarry-seeds.jsonl").toAbsolutePath().toString();

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new ConceptsGraphCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void jsonExportOfTheShippedSeedsFollowsTheFormula() throws Exception {
    Path file = temp.resolve("graph.json");
    Result r =
        run("--seeds", SEEDS, "--alpha", "0.5", "--format", "json", "--out", file.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("31 concepts, 73 edges"), r.err());
    JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
    // geometry–math: q005 (difficulty 1) and q031 (4): with α = 0.5, w = ln(0.5·2 + 0.5·2.5 +
    // 1e-6).
    for (JsonNode e : root.get("edges")) {
      if (e.get("source").asText().equals("geometry") && e.get("target").asText().equals("math")) {
        assertEquals(2, e.get("freq").asInt());
        assertEquals(2.5, e.get("diff").asDouble(), 1e-12);
        assertEquals(Math.log(2.250001), e.get("weight").asDouble(), 1e-12);
        return;
      }
    }
    throw new AssertionError("edge geometry–math missing");
  }

  @Test
  void graphmlAndDotGoToFilesOrStandardOutput() throws Exception {
    Path graphml = temp.resolve("graph.graphml");
    assertEquals(
        0, run("--seeds", SEEDS, "--format", "graphml", "--out", graphml.toString()).code());
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(graphml.toFile());
    Result dot = run("--seeds", SEEDS, "--format", "dot");
    assertEquals(0, dot.code(), dot.err());
    assertTrue(dot.out().startsWith("graph concepts {"), dot.out());
  }

  @Test
  void badOptionsSayWhatToFix() {
    Result format = run("--seeds", SEEDS, "--format", "svg");
    assertEquals(2, format.code());
    assertTrue(format.err().contains("use json, graphml or dot"), format.err());
    Result alpha = run("--seeds", SEEDS, "--alpha", "2");
    assertEquals(2, alpha.code());
    assertTrue(alpha.err().contains("outside [0, 1]"), alpha.err());
    Result missing = run("--seeds", temp.resolve("none.jsonl").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("not found"), missing.err());
  }
}
