package dev.quarry.workers.cli.dev;

import dev.quarry.workers.config.QuarrySettings;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "dev",
    description = "The local stack: Temporal dev server, embedded LLM server, a worker.",
    subcommands = {DevCommand.Up.class, DevCommand.Down.class, DevCommand.Status.class})
public class DevCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "up", description = "Start the local stack in the background (idempotent).")
  static class Up implements Callable<Integer> {
    @Inject QuarrySettings settings;

    @Override
    public Integer call() throws Exception {
      try {
        new DevStack(settings).up();
      } catch (IllegalStateException e) {
        System.err.println(e.getMessage());
        return 1;
      }
      System.out.println("web UI: " + settings.getTemporal().uiAddress());
      return 0;
    }
  }

  @Command(name = "down", description = "Stop the local stack.")
  static class Down implements Callable<Integer> {
    @Inject QuarrySettings settings;

    @Override
    public Integer call() throws Exception {
      new DevStack(settings).down();
      return 0;
    }
  }

  @Command(name = "status", description = "Show which parts of the local stack are running.")
  static class Status implements Callable<Integer> {
    @Inject QuarrySettings settings;

    @Override
    public Integer call() {
      DevStack stack = new DevStack(settings);
      boolean all = true;
      for (ManagedProcess process : stack.components()) {
        var handle = process.running();
        all &= handle.isPresent();
        System.out.printf(
            "%-9s %s%n",
            process.name(),
            handle
                .map(h -> "running (pid " + h.pid() + ", log " + process.logFile() + ")")
                .orElse("stopped"));
      }
      System.out.println("temporal: " + settings.getTemporal().getAddress());
      System.out.println("web UI: " + settings.getTemporal().uiAddress());
      return all ? 0 : 3;
    }
  }
}
