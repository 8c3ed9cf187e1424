package dev.quarry.workers.cli.llm;

import dev.quarry.activities.llm.ChatMessage;
import dev.quarry.activities.llm.ChatRequest;
import dev.quarry.activities.llm.EndpointConfig;
import dev.quarry.activities.llm.LlmException;
import dev.quarry.activities.llm.LlmResponse;
import dev.quarry.activities.llm.OpenAiClient;
import dev.quarry.activities.llm.RetryPolicy;
import dev.quarry.llm.EmbeddedLlmServer;
import dev.quarry.llm.LlamaEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quarry llm bench}: what the embedded HTTP server costs over calling the engine directly.
 *
 * <p>The model is loaded once. For each prompt, the same greedy generation (temperature 0, fixed
 * seed, same {@code max_tokens}) runs (a) in-process, {@link LlamaEngine#generate} on the
 * already-templated prompt, and (b) through {@link EmbeddedLlmServer} on 127.0.0.1 with the
 * activities' {@link OpenAiClient}, on the same engine instance. (b) therefore pays everything a
 * request adds: JSON both ways, HTTP, the chat template, prompt tokenization for the usage counts.
 * The order alternates per prompt (AB, BA, AB, …) after one warm-up of each, so that drift of the
 * machine hits both modes alike; the texts of both modes must be identical. Many short pairs rather
 * than a few long ones, because single generations on a small VM vary by ±15% from run to run: the
 * defaults (24 prompts x 64 tokens) take about a minute with SmolLM2-135M on 2 vCPUs.
 *
 * <p>The last line of the output is {@code http_vs_inprocess=<ratio>}: HTTP completion tokens per
 * second over in-process completion tokens per second. Exit code 0, or 1 when the model cannot be
 * loaded, a request fails or the two modes generated different texts.
 */
@Command(
    name = "bench",
    description = {
      "Measure completion tokens/s of a GGUF model in-process and through the embedded HTTP"
          + " server (same engine, prompts, seed and max_tokens, alternating), and print their"
          + " ratio as the last line: http_vs_inprocess=<ratio>."
    })
public class LlmBenchCommand implements Callable<Integer> {
  static final List<String> PROMPTS =
      List.of(
          "Write a short story about a lighthouse keeper who finds a message in a bottle.",
          "Explain step by step how a hash table works, with an example.",
          "Describe the water cycle to a ten-year-old.",
          "List ten ideas for a weekend programming project and explain each one.",
          "Write a poem about autumn in a big city.",
          "Explain the difference between TCP and UDP, with examples of when to use each.",
          "Give a recipe for a vegetable soup with detailed steps.",
          "Summarize the history of the printing press.");

  @Spec CommandSpec spec;

  @Option(
      names = {"-m", "--model"},
      paramLabel = "FILE.gguf",
      description =
          "The GGUF model (default: <QUARRY_HOME>/models/"
              + LlmServeCommand.DEFAULT_MODEL_FILE
              + "; $QUARRY_HOME defaults to .quarry).")
  Path model;

  @Option(
      names = "--prompts",
      paramLabel = "N",
      defaultValue = "24",
      description =
          "Prompts measured in each mode, after one warm-up each (default: ${DEFAULT-VALUE}).")
  int prompts;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      defaultValue = "64",
      description = "max_tokens of every generation (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description =
          "Seed of every generation; sampling is greedy (temperature 0) (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "CPU threads for inference (default: as quarry llm serve).")
  int threads;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /** One prompt's measurement in one mode. */
  record Run(int tokens, long nanos, String text) {}

  /** Totals of one mode. */
  static final class Totals {
    long tokens;
    long nanos;

    void add(Run r) {
      tokens += r.tokens();
      nanos += r.nanos();
    }

    double seconds() {
      return nanos / 1e9;
    }

    double tokensPerSecond() {
      return nanos == 0 ? 0 : tokens / seconds();
    }
  }

  @Override
  public Integer call() {
    PrintWriter out =
        spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    PrintWriter err =
        spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    if (prompts < 1 || maxTokens < 1 || threads < 0) {
      err.println("llm bench: --prompts and --max-tokens must be >= 1, --threads >= 0");
      err.flush();
      return 2;
    }
    Path file = model != null ? model : defaultModel();
    if (!Files.isRegularFile(file)) {
      err.println(
          "llm bench: model file not found: "
              + file.toAbsolutePath().normalize()
              + (model == null
                  ? " (scripts/ensure-model.sh fetches it, or pass --model FILE.gguf)"
                  : ""));
      err.flush();
      return 1;
    }

    LlamaEngine engine;
    try {
      engine = LlamaEngine.load(new LlamaEngine.Options(file, null, 0, threads, false));
    } catch (IOException | RuntimeException e) {
      err.println("llm bench: cannot load model " + file + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    EmbeddedLlmServer server = new EmbeddedLlmServer(engine, Duration.ofSeconds(5));
    OpenAiClient client = null;
    Totals inProcess = new Totals();
    Totals http = new Totals();
    int matches = 0;
    List<String> lines = new ArrayList<>();
    List<Double> pairRatios = new ArrayList<>();
    try {
      server.start("127.0.0.1", 0);
      client =
          new OpenAiClient(
              new EndpointConfig(server.baseUrl().toString(), null, Duration.ofMinutes(10), 1),
              RetryPolicy.DEFAULT.withMaxAttempts(1));
      out.printf(
          Locale.ROOT,
          "model %s (%s), %d prompts x max_tokens %d, seed %d, temperature 0, server %s%n",
          engine.modelId(),
          file,
          prompts,
          maxTokens,
          seed,
          server.baseUrl());
      out.flush();

      // Warm-up: class loading, JIT, OkHttp's connection, llama.cpp's first-call allocations.
      String warm = PROMPTS.get(0);
      Run wa = inProcess(engine, warm, Math.min(maxTokens, 32));
      Run wb = overHttp(client, engine.modelId(), warm, Math.min(maxTokens, 32));
      out.printf(
          Locale.ROOT,
          "warm-up: in-process %d tokens %.3f s, http %d tokens %.3f s%n",
          wa.tokens(),
          wa.nanos() / 1e9,
          wb.tokens(),
          wb.nanos() / 1e9);
      out.flush();

      for (int i = 0; i < prompts; i++) {
        String prompt = promptFor(i);
        boolean inProcessFirst = i % 2 == 0;
        Run a;
        Run b;
        if (inProcessFirst) {
          a = inProcess(engine, prompt, maxTokens);
          b = overHttp(client, engine.modelId(), prompt, maxTokens);
        } else {
          b = overHttp(client, engine.modelId(), prompt, maxTokens);
          a = inProcess(engine, prompt, maxTokens);
        }
        inProcess.add(a);
        http.add(b);
        if (rate(a) > 0) {
          pairRatios.add(rate(b) / rate(a));
        }
        boolean same = Objects.equals(a.text(), b.text());
        if (same) {
          matches++;
        }
        out.printf(
            Locale.ROOT,
            "prompt %d [%s]: in-process %d tokens %.3f s %.1f tokens/s | http %d tokens %.3f s %.1f"
                + " tokens/s | %s%n",
            i + 1,
            inProcessFirst ? "in-process first" : "http first",
            a.tokens(),
            a.nanos() / 1e9,
            rate(a),
            b.tokens(),
            b.nanos() / 1e9,
            rate(b),
            same ? "same text" : "DIFFERENT text");
        out.flush();
      }
    } catch (IOException | LlmException | RuntimeException e) {
      err.println("llm bench failed: " + LlmChatCommand.oneLine(e.getMessage()));
      err.flush();
      return 1;
    } finally {
      if (client != null) {
        client.close();
      }
      server.close(); // frees the engine too
    }

    double ratio =
        inProcess.tokensPerSecond() == 0 ? 0 : http.tokensPerSecond() / inProcess.tokensPerSecond();
    lines.add(summary("in-process", inProcess));
    lines.add(summary("http      ", http));
    lines.add(
        String.format(
            Locale.ROOT,
            "http minus in-process: %+.1f ms per request (mean of %d; includes run-to-run noise)",
            (http.nanos - inProcess.nanos) / 1e6 / prompts,
            prompts));
    if (!pairRatios.isEmpty()) {
      // A burst of load elsewhere on the machine skews the totals; the median of the pairs is the
      // robust cross-check.
      List<Double> sorted = pairRatios.stream().sorted().toList();
      lines.add(
          String.format(
              Locale.ROOT,
              "per-prompt http/in-process tokens/s: median %.3f, range %.3f-%.3f",
              median(sorted),
              sorted.get(0),
              sorted.get(sorted.size() - 1)));
    }
    lines.add(
        "texts match: "
            + (matches == prompts ? "yes" : "NO")
            + " ("
            + matches
            + "/"
            + prompts
            + ")");
    lines.add(String.format(Locale.ROOT, "http_vs_inprocess=%.3f", ratio));
    lines.forEach(out::println);
    out.flush();
    return matches == prompts ? 0 : 1;
  }

  /** Prompt {@code i}; past the built-in list, variants of it so that no two prompts are equal. */
  static String promptFor(int i) {
    String base = PROMPTS.get(i % PROMPTS.size());
    int round = i / PROMPTS.size();
    return round == 0 ? base : base + " (Version " + (round + 1) + ".)";
  }

  private Run inProcess(LlamaEngine engine, String prompt, int max) {
    // Templating is done outside the clock: the in-process baseline is generation alone.
    String templated = engine.applyChatTemplate(List.of(userMessage(prompt)));
    LlamaEngine.Sampling sampling =
        new LlamaEngine.Sampling(
            max, LlamaEngine.seedFor(seed, 0), 0f, null, null, null, List.of(), null);
    long start = System.nanoTime();
    LlamaEngine.Generation g = engine.generate(templated, sampling, 1).get(0);
    long nanos = System.nanoTime() - start;
    return new Run(g.completionTokens(), nanos, g.text());
  }

  private Run overHttp(OpenAiClient client, String modelId, String prompt, int max)
      throws LlmException {
    ChatRequest request =
        ChatRequest.of(modelId, List.of(ChatMessage.user(prompt)))
            .withMaxTokens(max)
            .withTemperature(0.0)
            .withSeed(seed);
    long start = System.nanoTime();
    LlmResponse r = client.chat(request);
    long nanos = System.nanoTime() - start;
    return new Run(r.completionTokens(), nanos, r.text());
  }

  private static Map.Entry<String, String> userMessage(String text) {
    return new AbstractMap.SimpleImmutableEntry<>("user", text);
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double rate(Run r) {
    return r.nanos() == 0 ? 0 : r.tokens() / (r.nanos() / 1e9);
  }

  private static String summary(String mode, Totals t) {
    return String.format(
        Locale.ROOT,
        "%s: %d tokens in %.3f s = %.2f tokens/s",
        mode,
        t.tokens,
        t.seconds(),
        t.tokensPerSecond());
  }

  static Path defaultModel() {
    String home = System.getenv().getOrDefault("QUARRY_HOME", ".quarry");
    return Path.of(home.isBlank() ? ".quarry" : home, "models", LlmServeCommand.DEFAULT_MODEL_FILE);
  }
}
