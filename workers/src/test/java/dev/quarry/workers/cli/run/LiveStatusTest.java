package dev.quarry.workers.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.config.RolePrice;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.workflows.TokenUsage;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.run.RunProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveStatusTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static RunConfig config() {
    // 2 rounds of 4 prompts, K=2, M=3, T=3; the solver costs 1 per 1M prompt and 2 per 1M
    // completion.
    return RunConfigLoader.parse(
        "rounds: 2\npromptsPerRound: 4\ncandidatesPerPrompt: 2\nrolloutsPerCandidate: 3\n"
            + "testInputsPerCandidate: 3\npricing:\n  solver: { promptPer1M: 1, completionPer1M: 2 }\n",
        "test");
  }

  /**
   * A round of 8 candidates with {@code candidatesDone} done (and as many executions as 9 each).
   */
  private static LiveStatus status(int candidatesDone, Duration elapsed) {
    Usage usage = Usage.ZERO.plusSolver(new TokenUsage(1_000_000, 500_000, 10));
    RunProgress run =
        new RunProgress(
            "r",
            "round",
            0,
            2,
            "r/round-0",
            false,
            false,
            List.of(),
            List.of(),
            Usage.ZERO,
            config());
    RoundProgress round =
        new RoundProgress(
            0,
            "evaluating",
            false,
            4,
            4,
            candidatesDone / 2,
            candidatesDone,
            1,
            candidatesDone * 3,
            candidatesDone * 9,
            Map.of(),
            usage,
            Map.of());
    return new LiveStatus(run, round, T0, T0.plus(elapsed));
  }

  @Test
  void failedPromptsAreShownWithTheirReasons() {
    RunProgress run =
        new RunProgress(
            "r",
            "round",
            0,
            2,
            "r/round-0",
            false,
            false,
            List.of(),
            List.of(),
            Usage.ZERO,
            config());
    RoundProgress round =
        new RoundProgress(
            0,
            "evaluating",
            false,
            4,
            4,
            3,
            4,
            1,
            12,
            36,
            Map.of(),
            Usage.ZERO,
            Map.of("child failed: LlmRequestRejected", 1));
    String shown = new LiveStatus(run, round, T0, T0.plusSeconds(10)).render();
    assertTrue(shown.contains("failed prompts 1"), shown);
    assertTrue(shown.contains("1 × child failed: LlmRequestRejected"), shown);
    assertTrue(
        !status(2, Duration.ofSeconds(60)).render().contains("failed prompts"),
        "none shown when none failed");
  }

  @Test
  void totalsFollowTheFanOut() {
    assertEquals(new LiveStatus.Totals(4, 8, 24, 72), status(0, Duration.ZERO).totals());
  }

  @Test
  void etaExtrapolatesTheDoneFractionOfExecutions() {
    // 2 of 8 candidates (1/4) in 60 s: 180 s left in this round; the next round takes 240 s.
    LiveStatus s = status(2, Duration.ofSeconds(60));
    assertEquals(0.25, s.roundFraction(), 1e-12);
    assertEquals(Duration.ofSeconds(180), s.roundEta());
    assertEquals(Duration.ofSeconds(180 + 240), s.runEta());
    assertNull(status(0, Duration.ofSeconds(5)).roundEta(), "nothing done yet: no ETA");
  }

  @Test
  void costComesFromThePricingPerRole() {
    LiveStatus s = status(2, Duration.ofSeconds(60));
    assertEquals(1.0 + 1.0, s.totalCost(), 1e-12); // 1M prompt × 1 + 0.5M completion × 2
    assertEquals(2.0, new RolePrice(1, 2).cost(1_000_000, 500_000), 1e-12);
    String text = s.render();
    assertTrue(text.contains("executions  [#####...............] 18/72"), text);
    assertTrue(text.contains("ETA: round 3m00s, run 7m00s"), text);
  }
}
