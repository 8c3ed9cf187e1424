package dev.quarry.activities.generation;

import dev.quarry.core.adaptive.StopReason;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.RolloutsConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.workflows.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Solver rollouts sampled in waves inside one activity (docs/adaptive-rollouts.md): after each wave
 * the method's rule says whether more rollouts can still change the decision, and sampling stops
 * when they cannot. Off, it is one call of the fixed budget, exactly as before.
 *
 * <p>Rollout r of a call seeded s is asked for with seed s + r (a wave starting at rollout r is one
 * request seeded s + r): the first wave is the fixed request's own seed, and an endpoint that seeds
 * choice i of a request as seed + i (the scripted fake's mixed-difficulty mode does) gives the same
 * rollouts in waves as in one request.
 */
public final class RolloutWaves {
  /** After a wave: whether to go on, from the replies so far and how many were asked for. */
  @FunctionalInterface
  public interface Rule {
    StopReason after(List<ChatCalls.Reply> replies, int asked);
  }

  /**
   * The rollouts and why sampling stopped.
   *
   * @param answer every wave's replies, missing rollouts (with their reasons) and usage together
   * @param asked rollouts asked for: the replies plus the missing ones
   */
  public record Sampled(ChatCalls.Answer answer, int asked, StopReason stop) {}

  private RolloutWaves() {}

  public static Sampled sample(
      ChatCalls chat,
      String key,
      RoleConfig role,
      List<Message> messages,
      int total,
      long seed,
      RolloutsConfig waves,
      Rule rule) {
    if (!RolloutsConfig.on(waves)) {
      ChatCalls.Answer answer = chat.call(key, role, messages, total, seed, null);
      return new Sampled(answer, total, answer.refused() ? StopReason.REJECTED : StopReason.BUDGET);
    }
    List<ChatCalls.Reply> replies = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    TokenUsage usage = TokenUsage.ZERO;
    String rejection = null;
    int asked = 0;
    StopReason stop = StopReason.CONTINUE;
    while (stop == StopReason.CONTINUE) {
      int wave = waves.nextWave(asked, total);
      ChatCalls.Answer answer = chat.call(key, role, messages, wave, seed + asked, null);
      replies.addAll(answer.replies());
      missing.addAll(answer.missing());
      usage = usage.plus(answer.usage());
      asked += wave;
      if (answer.refused()) {
        // A refused request (e.g. a prompt over the context) would be refused again: stop here.
        rejection = rejection == null ? answer.rejection() : rejection;
        stop = StopReason.REJECTED;
      } else {
        stop = asked >= total ? StopReason.BUDGET : rule.after(replies, asked);
      }
    }
    return new Sampled(new ChatCalls.Answer(replies, missing, usage, rejection), asked, stop);
  }
}
