package dev.quarry.core.config;

import java.util.Map;

/**
 * Builds a {@link RunConfig} from another with some fields changed: {@code
 * config.toBuilder().outputDir(dir).build()}. The one place besides the record that lists every
 * field, so a new field is added here and nowhere else.
 */
public final class RunConfigBuilder {
  private Method method;
  private long seed;
  private int rounds;
  private int promptsPerRound;
  private int candidatesPerPrompt;
  private int rolloutsPerCandidate;
  private int testInputsPerCandidate;
  private int maxConcurrentPrompts;
  private SeedsConfig seeds;
  private ConceptsConfig concepts;
  private SandboxConfig sandbox;
  private ValidityConfig validity;
  private Roles roles;
  private BudgetConfig budget;
  private String outputDir;
  private DedupConfig dedup;
  private DecontaminationConfig decontamination;
  private ScaleQuestConfig scalequest;
  private SparqConfig sparq;
  private Map<String, RolePrice> pricing;
  private TrainerConfig trainer;
  private RolloutsConfig rollouts;

  RunConfigBuilder(RunConfig from) {
    method = from.method();
    seed = from.seed();
    rounds = from.rounds();
    promptsPerRound = from.promptsPerRound();
    candidatesPerPrompt = from.candidatesPerPrompt();
    rolloutsPerCandidate = from.rolloutsPerCandidate();
    testInputsPerCandidate = from.testInputsPerCandidate();
    maxConcurrentPrompts = from.maxConcurrentPrompts();
    seeds = from.seeds();
    concepts = from.concepts();
    sandbox = from.sandbox();
    validity = from.validity();
    roles = from.roles();
    budget = from.budget();
    outputDir = from.outputDir();
    dedup = from.dedup();
    decontamination = from.decontamination();
    scalequest = from.scalequest();
    sparq = from.sparq();
    pricing = from.pricing();
    trainer = from.trainer();
    rollouts = from.rollouts();
  }

  public RunConfigBuilder method(Method method) {
    this.method = method;
    return this;
  }

  public RunConfigBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  public RunConfigBuilder rounds(int rounds) {
    this.rounds = rounds;
    return this;
  }

  public RunConfigBuilder promptsPerRound(int promptsPerRound) {
    this.promptsPerRound = promptsPerRound;
    return this;
  }

  public RunConfigBuilder candidatesPerPrompt(int candidatesPerPrompt) {
    this.candidatesPerPrompt = candidatesPerPrompt;
    return this;
  }

  public RunConfigBuilder rolloutsPerCandidate(int rolloutsPerCandidate) {
    this.rolloutsPerCandidate = rolloutsPerCandidate;
    return this;
  }

  public RunConfigBuilder testInputsPerCandidate(int testInputsPerCandidate) {
    this.testInputsPerCandidate = testInputsPerCandidate;
    return this;
  }

  public RunConfigBuilder maxConcurrentPrompts(int maxConcurrentPrompts) {
    this.maxConcurrentPrompts = maxConcurrentPrompts;
    return this;
  }

  public RunConfigBuilder seeds(SeedsConfig seeds) {
    this.seeds = seeds;
    return this;
  }

  public RunConfigBuilder concepts(ConceptsConfig concepts) {
    this.concepts = concepts;
    return this;
  }

  public RunConfigBuilder sandbox(SandboxConfig sandbox) {
    this.sandbox = sandbox;
    return this;
  }

  public RunConfigBuilder validity(ValidityConfig validity) {
    this.validity = validity;
    return this;
  }

  public RunConfigBuilder roles(Roles roles) {
    this.roles = roles;
    return this;
  }

  public RunConfigBuilder budget(BudgetConfig budget) {
    this.budget = budget;
    return this;
  }

  public RunConfigBuilder outputDir(String outputDir) {
    this.outputDir = outputDir;
    return this;
  }

  public RunConfigBuilder dedup(DedupConfig dedup) {
    this.dedup = dedup;
    return this;
  }

  public RunConfigBuilder decontamination(DecontaminationConfig decontamination) {
    this.decontamination = decontamination;
    return this;
  }

  public RunConfigBuilder scalequest(ScaleQuestConfig scalequest) {
    this.scalequest = scalequest;
    return this;
  }

  public RunConfigBuilder sparq(SparqConfig sparq) {
    this.sparq = sparq;
    return this;
  }

  public RunConfigBuilder pricing(Map<String, RolePrice> pricing) {
    this.pricing = pricing;
    return this;
  }

  public RunConfigBuilder trainer(TrainerConfig trainer) {
    this.trainer = trainer;
    return this;
  }

  public RunConfigBuilder rollouts(RolloutsConfig rollouts) {
    this.rollouts = rollouts;
    return this;
  }

  public RunConfig build() {
    return new RunConfig(
        method,
        seed,
        rounds,
        promptsPerRound,
        candidatesPerPrompt,
        rolloutsPerCandidate,
        testInputsPerCandidate,
        maxConcurrentPrompts,
        seeds,
        concepts,
        sandbox,
        validity,
        roles,
        budget,
        outputDir,
        dedup,
        decontamination,
        scalequest,
        sparq,
        pricing,
        trainer,
        rollouts);
  }
}
