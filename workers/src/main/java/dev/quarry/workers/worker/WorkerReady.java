package dev.quarry.workers.worker;

/** The line a worker logs once it polls its task queues; `dev up` waits for it. */
public final class WorkerReady {
  public static final String MARKER = "Quarry worker polling";

  private WorkerReady() {}
}
