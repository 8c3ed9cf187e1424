package dev.quarry.activities.scalequest;

import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.support.Failures;
import dev.quarry.activities.support.Heartbeats;
import dev.quarry.core.config.RoleConfig;
import java.util.List;

/**
 * One LLM call of a ScaleQuest stage with the project's failure policy (as in the QueST stages):
 * a request the endpoint refuses as bad (400, 413, 422 — say, a prompt over the context) is an
 * outcome recorded on that question; a refused key or model (401, 403, 404, or a model without
 * raw completions) fails the run, since no retry can fix it; anything else is infrastructure
 * trouble that Temporal retries.
 *
 * @param reply null when the request was refused; {@code rejection} then says why
 */
record ModelCall(ChatModel.ChatReply reply, String rejection) {
  @FunctionalInterface
  interface Call {
    ChatModel.ChatReply run() throws ChatModel.ChatRejectedException, ChatModel.ChatUnavailableException;
  }

  boolean refused() {
    return reply == null;
  }

  List<String> choices() {
    return refused() ? List.of() : reply.choices();
  }

  String first() {
    return choices().isEmpty() ? "" : choices().get(0);
  }

  static ModelCall run(String key, RoleConfig role, Call call) {
    try {
      return new ModelCall(Heartbeats.during(key, () -> {
        try {
          return call.run();
        } catch (ChatModel.ChatRejectedException | ChatModel.ChatUnavailableException e) {
          throw new Wrapped(e);
        }
      }), null);
    } catch (Wrapped wrapped) {
      if (wrapped.getCause() instanceof ChatModel.ChatRejectedException rejected) {
        int status = rejected.status();
        if (status == 400 || status == 413 || status == 422) {
          return new ModelCall(null, status + " " + firstLine(rejected.getMessage()));
        }
        throw Failures.llmRejected(
            role.endpoint() + " refused the request (" + status + "): " + rejected.getMessage()
                + "; check the endpoint, model name and API key variable");
      }
      throw Failures.infrastructure("LlmUnavailable", key + ": " + wrapped.getCause().getMessage(), wrapped.getCause());
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

    Wrapped(Exception cause) {
      super(cause);
    }
  }
}
