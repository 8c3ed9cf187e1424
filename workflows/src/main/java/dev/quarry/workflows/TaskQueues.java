package dev.quarry.workflows;

import java.util.List;

/**
 * Task queues by resource, so each can be scaled on its own machines: workflows (and light
 * bookkeeping activities), LLM calls, sandbox executions, training.
 */
public final class TaskQueues {
  public static final String WORKFLOWS = "quarry-workflows";
  public static final String LLM = "quarry-llm";
  public static final String SANDBOX = "quarry-sandbox";
  public static final String TRAIN = "quarry-train";
  public static final List<String> ALL = List.of(WORKFLOWS, LLM, SANDBOX, TRAIN);

  private TaskQueues() {}
}
