package dev.quarry.workers.cli.llm;

import dev.quarry.activities.llm.ChatMessage;
import dev.quarry.activities.llm.ChatRequest;
import dev.quarry.activities.llm.EndpointConfig;
import dev.quarry.activities.llm.LlmException;
import dev.quarry.activities.llm.LlmResponse;
import dev.quarry.activities.llm.OpenAiClient;
import dev.quarry.activities.llm.RetryPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quarry llm chat}: sends one chat request to an OpenAI-compatible endpoint with the
 * activities' {@link OpenAiClient} and prints the reply, then one line of figures:
 *
 * <pre>
 * [latency 1.234 s, prompt 31 tokens, completion 64 tokens, 51.9 tokens/s, model SmolLM2-135M-Instruct.Q4_1]
 * </pre>
 *
 * Tokens per second are completion tokens over the whole round trip (prompt processing and HTTP
 * included), as a caller of the endpoint sees them.
 *
 * <p>Exit codes: 0 answered; 1 the endpoint was unreachable, refused the request or gave no usable
 * answer (one line on stderr with the HTTP status and the server's message); 2 bad options. The API
 * key is read only from the environment variable named by {@code --api-key-env}, and never printed.
 */
@Command(
    name = "chat",
    description = {
      "Send one chat message to an OpenAI-compatible endpoint and print the reply, then latency,"
          + " prompt/completion tokens and tokens/s.",
      "Example: quarry llm chat --endpoint http://127.0.0.1:8088 --model smollm2 \"Say hi\""
    })
public class LlmChatCommand implements Callable<Integer> {
  private static final Pattern LINE_BREAKS = Pattern.compile("\\s*[\\r\\n]+\\s*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Spec CommandSpec spec;

  @Option(
      names = {"-e", "--endpoint"},
      required = true,
      paramLabel = "URL",
      description = "Base URL of the server, e.g. http://127.0.0.1:8088 (a trailing /v1 is fine).")
  String endpoint;

  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "NAME",
      description = "Model name sent in the request (the embedded server accepts any).")
  String model;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "Most completion tokens (default: the server's).")
  Integer maxTokens;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "Sampling temperature (default: the server's).")
  Double temperature;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Sampling seed (default: the server's).")
  Long seed;

  @Option(
      names = "--api-key-env",
      paramLabel = "VAR",
      description =
          "Name of the environment variable holding the API key, sent as a Bearer token"
              + " (default: no key). The key itself is never accepted on the command line.")
  String apiKeyEnv;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description = "Limit for the whole call (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--attempts",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Attempts on connection failures, timeouts, 429 and 5xx, with backoff (default:"
              + " ${DEFAULT-VALUE}: report the first failure at once).")
  int attempts;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Parameters(
      arity = "1..*",
      paramLabel = "PROMPT",
      description = "The user message (several words are joined with spaces).")
  List<String> prompt;

  /** Environment lookup; replaced in tests. */
  Function<String, String> env = System::getenv;

  @Override
  public Integer call() {
    PrintWriter out =
        spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    PrintWriter err =
        spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    String apiKey = null;
    if (apiKeyEnv != null) {
      if (!ENV_NAME.matcher(apiKeyEnv).matches()) {
        return usage(err, "--api-key-env takes the NAME of an environment variable, not a key");
      }
      apiKey = env.apply(apiKeyEnv);
      if (apiKey == null || apiKey.isBlank()) {
        return usage(
            err, "environment variable " + apiKeyEnv + " (--api-key-env) is not set or empty");
      }
      apiKey = apiKey.strip();
    }
    if (timeoutSeconds < 1 || attempts < 1) {
      return usage(err, "--timeout and --attempts must be >= 1");
    }

    EndpointConfig config;
    ChatRequest request;
    try {
      config = new EndpointConfig(endpoint, apiKey, Duration.ofSeconds(timeoutSeconds), 1);
      request =
          ChatRequest.of(model, List.of(ChatMessage.user(String.join(" ", prompt))))
              .withMaxTokens(maxTokens)
              .withTemperature(temperature)
              .withSeed(seed);
    } catch (IllegalArgumentException e) {
      return usage(err, mask(e.getMessage(), apiKey));
    }

    OpenAiClient client = new OpenAiClient(config, RetryPolicy.DEFAULT.withMaxAttempts(attempts));
    try {
      long start = System.nanoTime();
      LlmResponse response = client.chat(request);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.println(response.text());
      out.println(figures(response, seconds));
      out.flush();
      return 0;
    } catch (LlmException e) {
      // The client's messages name the URL, the HTTP status and the server's own message, e.g.
      // "<url> rejected the chat request: HTTP 401: Incorrect API key", or the connection failure.
      err.println("llm chat failed: " + oneLine(mask(e.getMessage(), apiKey)));
      err.flush();
      return 1;
    } finally {
      client.close();
    }
  }

  /** The line after the reply: latency, usage, completion tokens per second of the round trip. */
  static String figures(LlmResponse r, double seconds) {
    double rate = seconds > 0 ? r.completionTokens() / seconds : 0;
    return String.format(
        Locale.ROOT,
        "[latency %.3f s, prompt %d tokens, completion %d tokens, %.1f tokens/s, model %s]",
        seconds,
        r.promptTokens(),
        r.completionTokens(),
        rate,
        r.model());
  }

  private static int usage(PrintWriter err, String message) {
    err.println("llm chat: " + oneLine(message));
    err.flush();
    return 2;
  }

  static String oneLine(String s) {
    return s == null ? "" : LINE_BREAKS.matcher(s.strip()).replaceAll(" ");
  }

  /** Belt and braces: the client already redacts the key; nothing printed here may contain it. */
  private static String mask(String text, String key) {
    if (text == null || key == null || key.isEmpty()) {
      return text;
    }
    return text.replace(key, "****");
  }
}
