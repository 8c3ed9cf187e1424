package dev.quarry.core.config;

/**
 * What a role's tokens cost, in any currency unit per million tokens (0: free or unknown), for the
 * cost `quarry run status` shows. Self-hosted models cost GPU time, not tokens: leave 0.
 */
public record RolePrice(double promptPer1M, double completionPer1M) {
  public double cost(long promptTokens, long completionTokens) {
    return (promptTokens * promptPer1M + completionTokens * completionPer1M) / 1_000_000.0;
  }
}
