package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.seeds.SeedFormat;
import dev.quarry.core.sparq.ArchiveMode;
import dev.quarry.core.sparq.FinalFilter;
import dev.quarry.core.sparq.ParentSelection;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SparqConfigTest {
  private static final String SPARQ =
      "method: sparq\nseeds:\n  file: seeds/math-seeds.jsonl\n  format: math\n";

  private static String problemsOf(String yaml) {
    return String.join(
        "\n",
        assertThrows(RunConfigException.class, () -> RunConfigLoader.parse(yaml, "test"))
            .problems());
  }

  @Test
  void defaultsFollowThePaper() {
    RunConfig config = RunConfigLoader.parse(SPARQ, "test");
    assertEquals(Method.SPARQ, config.method());
    assertEquals(SeedFormat.MATH, config.seeds().format());
    SparqConfig s = config.sparq();
    assertEquals(0.1, s.solveRateLower(), 0);
    assertEquals(0.9, s.solveRateUpper(), 0);
    assertEquals(100, s.skillVocabulary());
    assertEquals(3, s.maxSkillsPerProblem());
    assertEquals(4, s.rollouts());
    assertEquals(8, s.nicheCapacity());
    assertEquals(ArchiveMode.DYNAMIC, s.archive());
    assertEquals(ParentSelection.UNIFORM, s.parentSelection());
    assertEquals(FinalFilter.QUALITY, s.filter());
    assertEquals(0, s.filterBudget());
    assertEquals(0.5, s.qualityBand().quality(0.5), 1e-12);
  }

  @Test
  void everyVariantIsConfigurable() {
    RunConfig config =
        RunConfigLoader.parse(
            SPARQ
                + "sparq:\n  archive: static\n  parentSelection: diverse\n  filter: diversity\n  filterBudget: 10\n  rollouts: 16\n",
            "test");
    assertEquals(ArchiveMode.STATIC, config.sparq().archive());
    assertEquals(ParentSelection.DIVERSE, config.sparq().parentSelection());
    assertEquals(FinalFilter.DIVERSITY, config.sparq().filter());
    assertEquals(10, config.sparq().filterBudget());
    assertEquals(16, config.sparq().rollouts());
  }

  @Test
  void impossibleValuesNameTheFieldAndTheFix() {
    String problems =
        problemsOf(
            SPARQ
                + "sparq:\n  solveRateLower: 0.8\n  solveRateUpper: 0.3\n  nicheCapacity: 0\n  rollouts: 0\n  filterBudget: -1\n");
    assertTrue(problems.contains("the lower bound 0.8 is above the upper bound 0.3"), problems);
    assertTrue(problems.contains("'sparq.nicheCapacity': 0 is outside"), problems);
    assertTrue(problems.contains("'sparq.rollouts': 0 is outside"), problems);
    assertTrue(problems.contains("'sparq.filterBudget': -1 is outside"), problems);
    assertTrue(problemsOf(SPARQ + "sparq:\n  archive: sometimes\n").contains("static, dynamic"));
    assertTrue(
        problemsOf(SPARQ + "sparq:\n  rolouts: 3\n").contains("unknown field 'sparq.rolouts'"));
  }

  @Test
  void theDemoConfigLoads() {
    RunConfig config = RunConfigLoader.load(Path.of("../examples/sparq.yaml"));
    assertEquals(Method.SPARQ, config.method());
    assertEquals(3, config.sparq().rollouts());
    assertEquals(640, config.roles().generator().maxTokens());
  }

  @Test
  void sparqNeedsMathSeedsAndQuestRefusesThem() {
    String problems = problemsOf("method: sparq\n");
    assertTrue(problems.contains("method sparq needs math seeds"), problems);
    assertTrue(problems.contains("seeds/math-seeds.jsonl"), problems);
    assertTrue(
        problemsOf("seeds:\n  format: math\n")
            .contains("math seeds have no tests for method quest"));
    // ScaleQuest reads no seeds: math (or any) seeds are not its concern.
    assertEquals(
        Method.SCALEQUEST,
        RunConfigLoader.parse("method: scalequest\nseeds:\n  format: math\n", "test").method());
  }
}
