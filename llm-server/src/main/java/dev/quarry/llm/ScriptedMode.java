package dev.quarry.llm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the scripted server misbehaves, as real endpoints do: the conformance cases of Quarry's
 * endpoint handling (docs/endpoints.md). Chosen for the whole server ({@code quarry llm fake
 * --mode}) or per request by a path prefix, {@code /mode/<name>/v1/...}, so one server can give
 * each role of a run its own behaviour through the role's endpoint URL.
 *
 * <p>The faults that a retry cures (429, 500, stall, malformed) hit the first time a request body
 * is seen and not again, so a client that retries gets the scripted answer.
 */
public enum ScriptedMode {
  /** Well-formed answers, n choices. */
  NORMAL,
  /** One choice whatever n asks for (as Ollama and several proxies do). */
  IGNORE_N,
  /** Half of the n choices asked for, rounded up. */
  FEWER,
  /** Every odd-indexed choice is refused: no content, a refusal, finish_reason content_filter. */
  REFUSE,
  /** Every choice is refused: a further request brings nothing either. */
  REFUSE_ALL,
  /** Replies are cut at max_tokens (four characters a token), with finish_reason length. */
  TRUNCATE,
  /** 429 with Retry-After: 1 the first time a request is seen. */
  RATE_LIMITED,
  /** 500 the first time a request is seen, then the answer. */
  SERVER_ERROR,
  /** The first time a request is seen, the answer comes only after the stall time. */
  STALL,
  /** A 200 whose body is cut-off JSON the first time a request is seen. */
  MALFORMED,
  /** Answers, and lists itself, as another model than the one asked for. */
  OTHER_MODEL,
  /**
   * Well-formed answers from a solver whose chance of being right differs per problem, from 0 to 1
   * ({@link MixedDifficulty}): the adaptive-rollouts benchmark's mixed-difficulty solver.
   */
  MIXED_DIFFICULTY;

  /** The name reported by {@link #OTHER_MODEL}. */
  static final String OTHER_MODEL_ID = "scripted-other";

  /** The CLI and URL name: lower case with dashes ({@code ignore-n}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The mode of a wire name; an unknown name is an error naming the known ones. */
  public static ScriptedMode fromWireName(String name) {
    for (ScriptedMode mode : values()) {
      if (mode.wireName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown scripted mode '" + name + "'; known: " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(ScriptedMode::wireName).collect(Collectors.joining(", "));
  }

  /** Whether this mode answers its fault only the first time a request body is seen. */
  boolean faultsOnce() {
    return this == RATE_LIMITED || this == SERVER_ERROR || this == STALL || this == MALFORMED;
  }

  /** How many of {@code n} choices asked for are returned. */
  int choicesFor(int n) {
    return switch (this) {
      case IGNORE_N -> 1;
      case FEWER -> (n + 1) / 2;
      default -> n;
    };
  }

  /** Whether choice {@code index} is refused. */
  boolean refuses(int index) {
    return this == REFUSE_ALL || (this == REFUSE && index % 2 == 1);
  }
}
