package dev.quarry.workers.cli.concepts;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "concepts",
    description = "Inspect QueST's concept graph over a seed set.",
    subcommands = {ConceptsGraphCommand.class})
public class ConceptsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
