package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigBuilderTest {
  private final RunConfig config =
      RunConfigLoader.parse("rounds: 3\nroles:\n  generator:\n    model: base\n", "test");

  @Test
  void anUnchangedBuilderBuildsAnEqualConfig() {
    assertEquals(config, config.toBuilder().build());
  }

  @Test
  void aBuilderChangesOnlyWhatItIsTold() {
    RunConfig changed = config.toBuilder().rounds(5).outputDir("/data/out").build();
    assertEquals(5, changed.rounds());
    assertEquals("/data/out", changed.outputDir());
    assertEquals(config, changed.toBuilder().rounds(3).outputDir(config.outputDir()).build());
  }

  @Test
  void theWithMethodsChangeTheirFieldsOnly() {
    RunConfig paths = config.withPaths("/abs/seeds.jsonl", "/abs/out");
    assertEquals(new SeedsConfig("/abs/seeds.jsonl", config.seeds().format()), paths.seeds());
    assertEquals("/abs/out", paths.outputDir());
    assertEquals(
        config, paths.toBuilder().seeds(config.seeds()).outputDir(config.outputDir()).build());

    RunConfig bench = config.withDecontaminationFiles(List.of("/abs/bench.jsonl"));
    assertEquals(List.of("/abs/bench.jsonl"), bench.decontamination().files());
    assertEquals(config.decontamination().n(), bench.decontamination().n());

    RunConfig tuned = config.withGeneratorModel("ft:v1");
    assertEquals("ft:v1", tuned.roles().generator().model());
    assertNotEquals(config, tuned);
    assertEquals(config.roles().generator().endpoint(), tuned.roles().generator().endpoint());
    assertEquals(config.roles().solver(), tuned.roles().solver());
    assertEquals(config, tuned.withGeneratorModel("base"));
  }
}
