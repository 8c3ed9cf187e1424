package dev.quarry.workflows.run;

import java.util.Map;

/**
 * Starts or continues a run.
 *
 * @param config the user's run config (any subset of fields over the defaults) on a fresh start;
 *     ignored when {@code state} is present
 * @param state the carried-over state after continue-as-new; null on a fresh start
 */
public record RunInput(Map<String, Object> config, RunState state) {
  public static RunInput start(Map<String, Object> config) {
    return new RunInput(config, null);
  }
}
