package dev.quarry.workers.cli.llm;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "llm",
    description = "The embedded OpenAI-compatible model server and endpoint checks.",
    subcommands = {
      LlmServeCommand.class,
      LlmChatCommand.class,
      LlmBenchCommand.class,
      LlmFakeCommand.class
    })
public class LlmCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
