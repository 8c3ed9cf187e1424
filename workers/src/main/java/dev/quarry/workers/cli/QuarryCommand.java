package dev.quarry.workers.cli;

import dev.quarry.workers.cli.codec.CodecServerCommand;
import dev.quarry.workers.cli.concepts.ConceptsCommand;
import dev.quarry.workers.cli.dev.DevCommand;
import dev.quarry.workers.cli.llm.LlmCommand;
import dev.quarry.workers.cli.run.RunCommand;
import dev.quarry.workers.cli.sandbox.SandboxCommand;
import dev.quarry.workers.worker.WorkerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "quarry",
    mixinStandardHelpOptions = true,
    version = "quarry 0.1.0",
    description = "Durable generation of difficult, verified training problems on Temporal.",
    subcommands = {
      DevCommand.class,
      WorkerCommand.class,
      RunCommand.class,
      LlmCommand.class,
      SandboxCommand.class,
      ConceptsCommand.class,
      CodecServerCommand.class
    })
public class QuarryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
