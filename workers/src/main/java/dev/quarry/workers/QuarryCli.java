package dev.quarry.workers;

import dev.quarry.workers.cli.QuarryCommand;
import io.micronaut.configuration.picocli.PicocliRunner;

/** Entry point of the `quarry` launcher. */
public final class QuarryCli {
  private QuarryCli() {}

  public static void main(String[] args) {
    System.exit(PicocliRunner.execute(QuarryCommand.class, args));
  }
}
