package dev.quarry.workflows;

/**
 * Tokens and requests per model role; summed per prompt, round and run. Roles a method does not use
 * stay at zero (QueST: generator, test writer, solver; ScaleQuest adds judge, reward model and
 * rewriter; the concept extractor when concepts are extracted).
 */
public record Usage(
    TokenUsage generator,
    TokenUsage testWriter,
    TokenUsage solver,
    TokenUsage judge,
    TokenUsage rewardModel,
    TokenUsage rewriter,
    TokenUsage conceptExtractor) {
  public static final Usage ZERO = new Usage(TokenUsage.ZERO, TokenUsage.ZERO, TokenUsage.ZERO);

  public Usage {
    generator = generator == null ? TokenUsage.ZERO : generator;
    testWriter = testWriter == null ? TokenUsage.ZERO : testWriter;
    solver = solver == null ? TokenUsage.ZERO : solver;
    // Histories recorded before these roles existed carry no value: zero, not null.
    judge = judge == null ? TokenUsage.ZERO : judge;
    rewardModel = rewardModel == null ? TokenUsage.ZERO : rewardModel;
    rewriter = rewriter == null ? TokenUsage.ZERO : rewriter;
    conceptExtractor = conceptExtractor == null ? TokenUsage.ZERO : conceptExtractor;
  }

  public Usage(
      TokenUsage generator,
      TokenUsage testWriter,
      TokenUsage solver,
      TokenUsage judge,
      TokenUsage rewardModel,
      TokenUsage rewriter) {
    this(generator, testWriter, solver, judge, rewardModel, rewriter, TokenUsage.ZERO);
  }

  public Usage(TokenUsage generator, TokenUsage testWriter, TokenUsage solver) {
    this(generator, testWriter, solver, TokenUsage.ZERO, TokenUsage.ZERO, TokenUsage.ZERO);
  }

  public Usage plus(Usage other) {
    return new Usage(
        generator.plus(other.generator),
        testWriter.plus(other.testWriter),
        solver.plus(other.solver),
        judge.plus(other.judge),
        rewardModel.plus(other.rewardModel),
        rewriter.plus(other.rewriter),
        conceptExtractor.plus(other.conceptExtractor));
  }

  public Usage plusGenerator(TokenUsage more) {
    return new Usage(
        generator.plus(more), testWriter, solver, judge, rewardModel, rewriter, conceptExtractor);
  }

  public Usage plusTestWriter(TokenUsage more) {
    return new Usage(
        generator, testWriter.plus(more), solver, judge, rewardModel, rewriter, conceptExtractor);
  }

  public Usage plusSolver(TokenUsage more) {
    return new Usage(
        generator, testWriter, solver.plus(more), judge, rewardModel, rewriter, conceptExtractor);
  }

  public Usage plusJudge(TokenUsage more) {
    return new Usage(
        generator, testWriter, solver, judge.plus(more), rewardModel, rewriter, conceptExtractor);
  }

  public Usage plusRewardModel(TokenUsage more) {
    return new Usage(
        generator, testWriter, solver, judge, rewardModel.plus(more), rewriter, conceptExtractor);
  }

  public Usage plusRewriter(TokenUsage more) {
    return new Usage(
        generator, testWriter, solver, judge, rewardModel, rewriter.plus(more), conceptExtractor);
  }

  public Usage plusConceptExtractor(TokenUsage more) {
    return new Usage(
        generator, testWriter, solver, judge, rewardModel, rewriter, conceptExtractor.plus(more));
  }

  public TokenUsage total() {
    return generator
        .plus(testWriter)
        .plus(solver)
        .plus(judge)
        .plus(rewardModel)
        .plus(rewriter)
        .plus(conceptExtractor);
  }
}
