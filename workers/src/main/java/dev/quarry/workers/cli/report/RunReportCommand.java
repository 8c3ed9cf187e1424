package dev.quarry.workers.cli.report;

import dev.quarry.workers.cli.run.RunLookup;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.TemporalConnection;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "report",
    description =
        "Write a self-contained HTML report of a run (running or completed): score histograms per"
            + " round, difficulty by concept, invalid reasons, archive coverage, token use.")
public class RunReportCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;

  @Parameters(index = "0", description = "The run id (its workflow id).")
  String runId;

  @Option(names = "--out", required = true, description = "The HTML file to write.")
  Path out;

  @Override
  public Integer call() {
    String namespace = settings.getTemporal().getNamespace();
    try (TemporalConnection temporal = TemporalConnection.open(settings)) {
      WorkflowExecutionStatus status = RunLookup.status(temporal.service(), namespace, runId);
      Object run =
          switch (status) {
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> RunLookup.result(temporal.client(), runId);
            case WORKFLOW_EXECUTION_STATUS_RUNNING ->
                RunLookup.stub(temporal.client(), runId).progress();
            default -> null;
          };
      String state =
          status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
      if (run == null) {
        System.err.println(
            "run " + runId + " is " + state + ": a report needs a running or completed run");
        return 1;
      }
      String html = RunReport.html(runId, state, run);
      Path target = out.toAbsolutePath();
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      Files.writeString(target, html);
      System.out.println("report of run " + runId + " (" + state + ") written to " + target);
      return 0;
    } catch (IOException e) {
      System.err.println("cannot write " + out + ": " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      System.err.println(e.getMessage());
      return 1;
    }
  }
}
