package dev.quarry.workers;

import dev.quarry.workers.cli.QuarryCommand;
import dev.quarry.workers.config.SettingsFailure;
import io.micronaut.configuration.picocli.PicocliRunner;
import java.util.Optional;

/** Entry point of the `quarry` launcher. */
public final class QuarryCli {
  private QuarryCli() {}

  public static void main(String[] args) {
    int code;
    try {
      code = PicocliRunner.execute(QuarryCommand.class, args);
    } catch (RuntimeException e) {
      // A refused setting surfaces while the commands are built: say what to fix, not the trace.
      Optional<String> settings = SettingsFailure.explain(e);
      if (settings.isEmpty()) {
        throw e;
      }
      System.err.println(settings.get());
      code = 2;
    }
    System.exit(code);
  }
}
