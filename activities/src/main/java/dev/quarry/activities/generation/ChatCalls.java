package dev.quarry.activities.generation;

import dev.quarry.activities.support.Failures;
import dev.quarry.activities.support.Heartbeats;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.Message;
import java.util.List;

/**
 * One LLM call from an activity, heartbeating while it waits, with Quarry's failure rules: a
 * request refused as bad (400, 413, 422) is an answer ("rejected", the item becomes invalid with
 * the reason); a refused key or model (401, 403, 404) fails the run; an unavailable endpoint is
 * an infrastructure failure Temporal retries.
 */
public final class ChatCalls {
  private final ChatModel model;

  public ChatCalls(ChatModel model) {
    this.model = model;
  }

  /** A reply, or why the endpoint refused this particular request. */
  public record Answer(ChatModel.ChatReply reply, String rejection) {
    public boolean refused() {
      return reply == null;
    }

    public ChatModel.ChatReply replyOrEmpty() {
      return refused() ? new ChatModel.ChatReply(List.of(), 0, 0) : reply;
    }

    public String firstChoice() {
      List<String> choices = replyOrEmpty().choices();
      return choices.isEmpty() ? "" : choices.get(0);
    }
  }

  public Answer call(String key, RoleConfig role, List<Message> messages, int n, long seed, String schema) {
    try {
      return new Answer(
          Heartbeats.during(key, () -> {
            try {
              return model.chat(role, messages, n, seed, schema);
            } catch (ChatModel.ChatRejectedException | ChatModel.ChatUnavailableException e) {
              throw new Wrapped(e);
            }
          }),
          null);
    } catch (Wrapped wrapped) {
      Exception e = wrapped.inner;
      if (e instanceof ChatModel.ChatRejectedException rejected) {
        if (rejected.status() == 400 || rejected.status() == 413 || rejected.status() == 422) {
          return new Answer(null, rejected.status() + " " + firstLine(rejected.getMessage()));
        }
        throw Failures.llmRejected(
            role.endpoint() + " refused the request (" + rejected.status() + "): "
                + rejected.getMessage() + "; check the endpoint, model name and API key variable");
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

  private static final class Wrapped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Exception inner;

    Wrapped(Exception inner) {
      super(inner);
      this.inner = inner;
    }
  }
}
