package dev.quarry.core.config;

import java.util.List;

/**
 * How one model role is called: an OpenAI-compatible endpoint, a model name and sampling.
 *
 * @param apiKeyEnv the NAME of the worker-side environment variable holding the key; the key itself
 *     never enters a run config, workflow input or history
 * @param maxConcurrency requests in flight to this endpoint from one worker
 * @param requestsPerSecond requests per second to this endpoint from one worker; 0: no limit
 */
public record RoleConfig(
    String endpoint,
    String model,
    double temperature,
    double topP,
    int maxTokens,
    List<String> stop,
    String apiKeyEnv,
    int maxConcurrency,
    double requestsPerSecond) {
  public RoleConfig {
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  /** The same role serving another model. */
  public RoleConfig withModel(String newModel) {
    return new RoleConfig(
        endpoint,
        newModel,
        temperature,
        topP,
        maxTokens,
        stop,
        apiKeyEnv,
        maxConcurrency,
        requestsPerSecond);
  }
}
