package dev.quarry.workers.cli.run;

import io.temporal.serviceclient.WorkflowServiceStubs;

/** Test access to {@link StageLoads} from other packages (the end-to-end tests). */
public final class StageLoadProbe {
  private StageLoadProbe() {}

  /** The sandbox stage as {@code quarry run status} reads it, and the line it shows. */
  public record Sandbox(
      long queued,
      int workers,
      double inFlight,
      double capacity,
      double busyFraction,
      String rendered) {}

  public static Sandbox sandbox(WorkflowServiceStubs service, String namespace) {
    StageLoad load =
        new StageLoads(service, namespace)
            .read(StageLoads.stages(null)).stream()
                .filter(s -> s.stage().equals("sandbox"))
                .findFirst()
                .orElseThrow();
    return new Sandbox(
        load.queued(),
        load.workers(),
        load.inFlight(),
        load.capacity(),
        load.busyFraction(),
        load.render());
  }
}
