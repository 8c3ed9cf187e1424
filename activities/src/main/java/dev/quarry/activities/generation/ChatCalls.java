package dev.quarry.activities.generation;

import dev.quarry.activities.support.Failures;
import dev.quarry.activities.support.Heartbeats;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Every LLM call of an activity (chat or raw completion, every method), heartbeating while it
 * waits, with Quarry's rules for what an endpoint answers:
 *
 * <ul>
 *   <li>A request refused as bad (400, 413, 422) is an answer ("rejected": the item becomes invalid
 *       with the reason); a refused key or model (401, 403, 404, or a model without raw
 *       completions) fails the run; an unavailable endpoint is an infrastructure failure Temporal
 *       retries.
 *   <li>n replies asked for are n replies collected: when the endpoint returns fewer usable choices
 *       (it ignores {@code n}, refuses, filters content, or answers with nothing), the missing ones
 *       are asked for again, each further request with its own seed derived from the first. At most
 *       n further requests, and none after one that brought nothing new. What is still missing is
 *       reported as missing, with its reason: never as an empty reply.
 *   <li>A choice cut at {@code max_tokens} ({@code finish_reason: length}) is a reply: it says what
 *       it says, and its finish reason goes with it into the row.
 * </ul>
 */
public final class ChatCalls {
  /** Mixed into the seed of the k-th further request, so it differs from every other seed. */
  private static final long FURTHER_REQUEST = 0x5EED_A6A1L;

  private final ChatModel model;
  private final String roleName;

  public ChatCalls(ChatModel model) {
    this(model, null);
  }

  /** {@code roleName}: the role a refused key or model names in the run's failure (null: none). */
  public ChatCalls(ChatModel model, String roleName) {
    this.model = model;
    this.roleName = roleName;
  }

  /**
   * A reply that exists.
   *
   * @param seed the seed sent with the request that returned it
   * @param choice its index among that request's choices
   * @param finishReason the endpoint's {@code finish_reason}, null when it gave none
   * @param servedModel the model the endpoint says answered, null when unknown
   */
  public record Reply(String text, long seed, int choice, String finishReason, String servedModel) {
    /**
     * The role's sampling as sent for this reply: its request's seed, its index, its finish reason.
     */
    public SamplingRecord sampling(RoleConfig role) {
      return sampling(role, role.stop());
    }

    /** As {@link #sampling(RoleConfig)} for a request sent with other stop sequences. */
    public SamplingRecord sampling(RoleConfig role, List<String> stop) {
      return new SamplingRecord(
          role.model(),
          role.temperature(),
          role.topP(),
          role.maxTokens(),
          stop,
          seed,
          choice,
          finishReason,
          servedModel);
    }
  }

  /**
   * What came back for one call of n replies.
   *
   * @param replies the usable replies, at most n, in the order they arrived
   * @param missing one reason per reply asked for but not received
   * @param usage the tokens and requests all answered requests cost
   * @param rejection why the endpoint refused the first request (400, 413, 422); null otherwise
   */
  public record Answer(
      List<Reply> replies, List<String> missing, TokenUsage usage, String rejection) {
    public Answer {
      replies = List.copyOf(replies);
      missing = List.copyOf(missing);
    }

    public boolean refused() {
      return rejection != null;
    }

    /** The first reply's text, or null when there is none. */
    public String firstText() {
      return replies.isEmpty() ? null : replies.get(0).text();
    }

    public List<String> texts() {
      return replies.stream().map(Reply::text).toList();
    }

    /** Why the first reply is missing, for an answer without replies. */
    public String why() {
      if (refused()) {
        return "request rejected: " + rejection;
      }
      return missing.isEmpty() ? "no reply" : "reply missing: " + missing.get(missing.size() - 1);
    }
  }

  /** One request of the call: n choices with this seed. */
  @FunctionalInterface
  private interface Request {
    ChatModel.ChatReply send(int n, long seed)
        throws ChatModel.ChatRejectedException, ChatModel.ChatUnavailableException;
  }

  public Answer call(
      String key, RoleConfig role, List<Message> messages, int n, long seed, String schema) {
    return collect(key, role, n, seed, (count, s) -> model.chat(role, messages, count, s, schema));
  }

  /** n raw completions of {@code prompt} ({@link ChatModel#complete}). */
  public Answer complete(
      String key, RoleConfig role, String prompt, List<String> stop, int n, long seed) {
    return collect(key, role, n, seed, (count, s) -> model.complete(role, prompt, stop, count, s));
  }

  private Answer collect(String key, RoleConfig role, int n, long seed, Request request) {
    List<Reply> replies = new ArrayList<>();
    List<String> shortfalls = new ArrayList<>();
    TokenUsage usage = TokenUsage.ZERO;
    for (int further = 0; further <= n && replies.size() < n; further++) {
      int wanted = n - replies.size();
      long sent = further == 0 ? seed : SeedMixer.derive(seed, FURTHER_REQUEST, further);
      ChatModel.ChatReply reply;
      try {
        reply = send(key, role, request, wanted, sent);
      } catch (Rejected rejected) {
        if (further == 0) {
          return new Answer(
              List.of(),
              missing(n, List.of("request rejected: " + rejected.reason)),
              usage,
              rejected.reason);
        }
        shortfalls.add("further request rejected: " + rejected.reason);
        break;
      }
      usage = usage.plus(new TokenUsage(reply.promptTokens(), reply.completionTokens(), 1));
      int before = replies.size();
      int returned = Math.min(reply.choices().size(), wanted);
      for (int i = 0; i < returned; i++) {
        String text = reply.choices().get(i);
        String finish = reply.finishReasons().get(i);
        String unusable = unusable(text, finish);
        if (unusable == null) {
          replies.add(new Reply(text, sent, i, finish, reply.model()));
        } else {
          shortfalls.add(unusable);
        }
      }
      for (int i = returned; i < wanted; i++) {
        shortfalls.add(
            "the endpoint returned "
                + reply.choices().size()
                + " of "
                + wanted
                + " choices asked for");
      }
      if (further > 0 && replies.size() == before) {
        break; // a further request that brings nothing: the endpoint will not give more
      }
    }
    return new Answer(replies, missing(n - replies.size(), shortfalls), usage, null);
  }

  /** Why a returned choice is not a reply, or null when it is one. */
  private static String unusable(String text, String finishReason) {
    String finish = finishReason == null ? "" : " (finish_reason " + finishReason + ")";
    if ("content_filter".equals(finishReason) || "refusal".equals(finishReason)) {
      return "refused by the endpoint" + finish;
    }
    if (text == null) {
      return "no content" + finish;
    }
    if (text.isBlank()) {
      return "empty reply" + finish;
    }
    return null;
  }

  /** The last {@code count} shortfalls: the latest requests say why the rest is still missing. */
  private static List<String> missing(int count, List<String> shortfalls) {
    List<String> out = new ArrayList<>();
    for (int i = Math.max(0, shortfalls.size() - count); i < shortfalls.size(); i++) {
      out.add(shortfalls.get(i));
    }
    while (out.size() < count) {
      out.add("not returned by the endpoint");
    }
    return out;
  }

  private ChatModel.ChatReply send(String key, RoleConfig role, Request request, int n, long seed)
      throws Rejected {
    try {
      return Heartbeats.during(
          key,
          () -> {
            try {
              return request.send(n, seed);
            } catch (ChatModel.ChatRejectedException | ChatModel.ChatUnavailableException e) {
              throw new Wrapped(e);
            }
          });
    } catch (Wrapped wrapped) {
      Exception e = wrapped.inner;
      if (e instanceof ChatModel.ChatRejectedException rejected) {
        int status = rejected.status();
        if (status == 400 || status == 413 || status == 422) {
          throw new Rejected(status + " " + firstLine(rejected.getMessage()));
        }
        throw Failures.llmRejected(
            role.endpoint()
                + " refused the request ("
                + status
                + "): "
                + rejected.getMessage()
                + "; check the "
                + (roleName == null ? "" : roleName + " ")
                + "endpoint, model name and API key variable");
      }
      throw Failures.infrastructure("LlmUnavailable", key + ": " + e.getMessage(), e);
    }
  }

  private static String firstLine(String message) {
    String text = message == null ? "" : message.strip();
    int newline = text.indexOf('\n');
    text = newline < 0 ? text : text.substring(0, newline);
    return text.length() <= 160 ? text : text.substring(0, 160) + "…";
  }

  private static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Rejected(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  private static final class Wrapped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Exception inner;

    Wrapped(Exception inner) {
      super(inner);
      this.inner = inner;
    }
  }
}
