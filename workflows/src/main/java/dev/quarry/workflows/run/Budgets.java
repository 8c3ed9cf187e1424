package dev.quarry.workflows.run;

import dev.quarry.core.config.BudgetConfig;
import dev.quarry.workflows.TokenUsage;
import java.util.Optional;

/** Whether a run has spent its LLM budget; checked between rounds, never mid-round. */
final class Budgets {
  private Budgets() {}

  static Optional<String> exhausted(BudgetConfig budget, TokenUsage spent) {
    if (budget == null) {
      return Optional.empty();
    }
    if (budget.maxTokens() > 0 && spent.totalTokens() >= budget.maxTokens()) {
      return Optional.of(
          "token budget reached: "
              + spent.totalTokens()
              + " of "
              + budget.maxTokens()
              + " tokens used");
    }
    if (budget.maxRequests() > 0 && spent.requests() >= budget.maxRequests()) {
      return Optional.of(
          "request budget reached: "
              + spent.requests()
              + " of "
              + budget.maxRequests()
              + " requests made");
    }
    return Optional.empty();
  }
}
