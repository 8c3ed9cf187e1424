package dev.quarry.activities.generation;

import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the generation activities need from an LLM endpoint: n sampled replies to a chat. The
 * OpenAI-compatible client adapts to it; tests substitute a fake.
 */
public interface ChatModel {
  /**
   * @param jsonSchema a JSON schema the reply must follow, or null for free text
   * @throws ChatRejectedException when the endpoint refuses the request (4xx): not retried
   * @throws ChatUnavailableException when the endpoint failed (429, 5xx, timeout): retried
   */
  ChatReply chat(RoleConfig role, List<Message> messages, int n, long seed, String jsonSchema)
      throws ChatRejectedException, ChatUnavailableException;

  /**
   * n raw completions of {@code prompt} ({@code /v1/completions}, no chat template), as a
   * fine-tuned question generator is used. {@code stop} replaces the role's stop sequences.
   *
   * @throws ChatRejectedException also when this model cannot do raw completions
   */
  default ChatReply complete(RoleConfig role, String prompt, List<String> stop, int n, long seed)
      throws ChatRejectedException, ChatUnavailableException {
    throw new ChatRejectedException(
        501, getClass().getSimpleName() + " does not serve raw completions (/v1/completions)");
  }

  /**
   * The choices the endpoint returned (possibly fewer than asked for, possibly none) and the tokens
   * they cost. A choice's text is null when the endpoint gave no content (a refusal, a content
   * filter); {@code finishReasons} holds each choice's {@code finish_reason}, null where none was
   * given; {@code model} is the model the endpoint says answered (null when unknown).
   */
  record ChatReply(
      List<String> choices,
      long promptTokens,
      long completionTokens,
      List<String> finishReasons,
      String model) {
    public ChatReply {
      choices = Collections.unmodifiableList(new ArrayList<>(choices));
      finishReasons =
          finishReasons == null
              ? Collections.nCopies(choices.size(), (String) null)
              : Collections.unmodifiableList(new ArrayList<>(finishReasons));
      if (finishReasons.size() != choices.size()) {
        throw new IllegalArgumentException("one finish reason per choice");
      }
    }

    /** Choices without reported finish reasons. */
    public ChatReply(List<String> choices, long promptTokens, long completionTokens) {
      this(choices, promptTokens, completionTokens, null, null);
    }

    public ChatReply(
        List<String> choices,
        long promptTokens,
        long completionTokens,
        List<String> finishReasons) {
      this(choices, promptTokens, completionTokens, finishReasons, null);
    }
  }

  /** The endpoint refused the request; a retry would be refused too. */
  final class ChatRejectedException extends Exception {
    private final int status;

    public ChatRejectedException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** The endpoint could not answer now. */
  final class ChatUnavailableException extends Exception {
    public ChatUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
