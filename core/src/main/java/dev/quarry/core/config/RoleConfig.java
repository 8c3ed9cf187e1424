package dev.quarry.core.config;

import java.util.List;

/**
 * How one model role is called: an OpenAI-compatible endpoint, a model name and sampling.
 *
 * @param apiKeyEnv the NAME of the worker-side environment variable holding the key; the key
 *     itself never enters a run config, workflow input or history
 */
public record RoleConfig(
    String endpoint,
    String model,
    double temperature,
    double topP,
    int maxTokens,
    List<String> stop,
    String apiKeyEnv) {
  public RoleConfig {
    stop = stop == null ? List.of() : List.copyOf(stop);
  }
}
