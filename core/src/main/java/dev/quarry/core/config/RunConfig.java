package dev.quarry.core.config;

import java.util.List;
import java.util.Map;

/**
 * Everything a generation run needs, validated before anything starts (see {@link
 * RunConfigLoader}). It travels in workflow inputs, so it must never hold a secret.
 *
 * @param rounds how many generation rounds the run performs
 * @param promptsPerRound concept combinations sampled per round
 * @param candidatesPerPrompt K: candidate problems written per prompt
 * @param rolloutsPerCandidate M: solver rollouts per candidate
 * @param testInputsPerCandidate T: test inputs written per candidate
 * @param maxConcurrentPrompts how many per-prompt child workflows run at once
 * @param budget token and request limits, checked at round boundaries
 * @param dedup near-duplicate removal over the whole run, applied before each shard is written
 * @param decontamination n-gram decontamination against benchmark files
 * @param scalequest ScaleQuest's parameters, used when the method is scalequest
 * @param sparq the SPARQ method's parameters (read when {@code method: sparq})
 * @param pricing per role (by its name under roles), the token prices the run's cost is shown in
 * @param trainer how the generator is retrained between rounds (record, openai or container)
 * @param rollouts fixed or adaptive solver rollouts; null (configs recorded before it) is fixed
 */
public record RunConfig(
    Method method,
    long seed,
    int rounds,
    int promptsPerRound,
    int candidatesPerPrompt,
    int rolloutsPerCandidate,
    int testInputsPerCandidate,
    int maxConcurrentPrompts,
    SeedsConfig seeds,
    ConceptsConfig concepts,
    SandboxConfig sandbox,
    ValidityConfig validity,
    Roles roles,
    BudgetConfig budget,
    String outputDir,
    DedupConfig dedup,
    DecontaminationConfig decontamination,
    ScaleQuestConfig scalequest,
    SparqConfig sparq,
    Map<String, RolePrice> pricing,
    TrainerConfig trainer,
    RolloutsConfig rollouts) {

  public RunConfig {
    pricing = pricing == null ? Map.of() : Map.copyOf(pricing);
  }

  /** A builder holding this config's fields, to change some and build a new config. */
  public RunConfigBuilder toBuilder() {
    return new RunConfigBuilder(this);
  }

  /** The same config with other seed-file and output paths (made absolute for remote workers). */
  public RunConfig withPaths(String seedsFile, String outputDirectory) {
    return toBuilder()
        .seeds(new SeedsConfig(seedsFile, seeds.format()))
        .outputDir(outputDirectory)
        .build();
  }

  /** The same config with other benchmark paths (made absolute for remote workers). */
  public RunConfig withDecontaminationFiles(List<String> files) {
    return toBuilder()
        .decontamination(new DecontaminationConfig(files, decontamination.n()))
        .build();
  }

  /**
   * The same config with the generator role serving another model: a retrained generator version
   * (e.g. a fine-tuned model name) is what the next round generates with.
   */
  public RunConfig withGeneratorModel(String model) {
    return toBuilder().roles(roles.withGenerator(roles.generator().withModel(model))).build();
  }
}
