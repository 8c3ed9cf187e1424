package dev.quarry.core.config;

import java.util.List;

/** A run config that must not start: every problem names its field and says how to fix it. */
public class RunConfigException extends RuntimeException {
  private final List<String> problems;

  public RunConfigException(String source, List<String> problems) {
    super("invalid run config " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
