package dev.quarry.workflows;

/** Tokens and requests per model role; summed per prompt, round and run. */
public record Usage(TokenUsage generator, TokenUsage testWriter, TokenUsage solver) {
  public static final Usage ZERO = new Usage(TokenUsage.ZERO, TokenUsage.ZERO, TokenUsage.ZERO);

  public Usage {
    generator = generator == null ? TokenUsage.ZERO : generator;
    testWriter = testWriter == null ? TokenUsage.ZERO : testWriter;
    solver = solver == null ? TokenUsage.ZERO : solver;
  }

  public Usage plus(Usage other) {
    return new Usage(
        generator.plus(other.generator), testWriter.plus(other.testWriter), solver.plus(other.solver));
  }

  public Usage plusGenerator(TokenUsage more) {
    return new Usage(generator.plus(more), testWriter, solver);
  }

  public Usage plusTestWriter(TokenUsage more) {
    return new Usage(generator, testWriter.plus(more), solver);
  }

  public Usage plusSolver(TokenUsage more) {
    return new Usage(generator, testWriter, solver.plus(more));
  }

  public TokenUsage total() {
    return generator.plus(testWriter).plus(solver);
  }
}
