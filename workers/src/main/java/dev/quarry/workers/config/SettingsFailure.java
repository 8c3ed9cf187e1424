package dev.quarry.workers.config;

import io.micronaut.context.exceptions.BeanContextException;
import java.util.List;
import java.util.Optional;

/**
 * The worker settings' refusals, said in a few lines: Micronaut reports a setting that fails its
 * constraint or its conversion inside a long dependency-injection trace, under which a user would
 * not find what to fix.
 */
public final class SettingsFailure {
  private static final String PACKAGE = SettingsFailure.class.getPackageName() + ".";

  private SettingsFailure() {}

  /** What to fix, when {@code error} (or a cause) is a refused worker setting; else empty. */
  public static Optional<String> explain(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BeanContextException && t.getMessage() != null) {
        List<String> problems =
            t.getMessage()
                .lines()
                .map(String::strip)
                .map(
                    line ->
                        line.startsWith("Message: ") ? line.substring("Message: ".length()) : line)
                .filter(
                    line ->
                        line.startsWith("Error resolving property value [quarry.")
                            || (line.startsWith(PACKAGE) && line.contains(" - ")))
                .map(line -> line.startsWith(PACKAGE) ? line.substring(PACKAGE.length()) : line)
                .distinct()
                .toList();
        if (!problems.isEmpty()) {
          return Optional.of(
              "invalid worker settings (application.yml or their QUARRY_* environment variables,"
                  + " see docs/configuration.md):\n  - "
                  + String.join("\n  - ", problems));
        }
      }
    }
    return Optional.empty();
  }
}
