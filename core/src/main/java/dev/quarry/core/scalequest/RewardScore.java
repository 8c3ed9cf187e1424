package dev.quarry.core.scalequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.OptionalDouble;

/**
 * Reads a reward score from an LLM judge's JSON reply {@code {"score": n}}, n in [0, max]. The
 * reply is constrained by {@link ScaleQuestPrompts#REWARD_SCHEMA} where the server supports it;
 * text around the object (servers that ignore the schema) is tolerated, a missing or out-of-range
 * score is not a score.
 */
public final class RewardScore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RewardScore() {}

  public static OptionalDouble parse(String reply, double max) {
    if (reply == null) {
      return OptionalDouble.empty();
    }
    int open = reply.indexOf('{');
    int close = reply.lastIndexOf('}');
    if (open < 0 || close < open) {
      return OptionalDouble.empty();
    }
    JsonNode score;
    try {
      score = JSON.readTree(reply.substring(open, close + 1)).get("score");
    } catch (IOException e) {
      return OptionalDouble.empty();
    }
    if (score == null || !score.isNumber()) {
      return OptionalDouble.empty();
    }
    double value = score.asDouble();
    return value >= 0 && value <= max ? OptionalDouble.of(value) : OptionalDouble.empty();
  }
}
