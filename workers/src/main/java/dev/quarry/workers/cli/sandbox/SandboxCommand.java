package dev.quarry.workers.cli.sandbox;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "sandbox",
    description = "Run code in the Docker sandbox, and check problem sets' reference solutions.",
    subcommands = {SandboxRunCommand.class, SandboxCheckCommand.class, SandboxBenchCommand.class})
public class SandboxCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
