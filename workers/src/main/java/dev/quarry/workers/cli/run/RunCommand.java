package dev.quarry.workers.cli.run;

import dev.quarry.workers.cli.report.RunReportCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = "Start, watch, steer and export generation runs.",
    subcommands = {
      RunStartCommand.class,
      RunStatusCommand.class,
      RunExportCommand.class,
      RunReportCommand.class,
      RunHistoriesCommand.class,
      RunSignalCommand.Pause.class,
      RunSignalCommand.Resume.class,
      RunSignalCommand.Stop.class
    })
public class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
