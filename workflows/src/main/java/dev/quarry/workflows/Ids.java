package dev.quarry.workflows;

/** Readable, deterministic workflow ids: the run id is the workflow id of the run. */
public final class Ids {
  private Ids() {}

  public static String round(String runId, int round) {
    return runId + "/round-" + round;
  }

  /** A big round's batch of prompts (see PromptBatchWorkflow). */
  public static String batch(String runId, int round, int batch) {
    return round(runId, round) + "/batch-" + batch;
  }

  public static String prompt(String runId, int round, int prompt) {
    return round(runId, round) + "/prompt-" + prompt;
  }

  /** The dataset key of one candidate: unique per (run, round, prompt, candidate). */
  public static String candidateKey(String runId, int round, int prompt, int candidate) {
    return prompt(runId, round, prompt) + "/candidate-" + candidate;
  }
}
