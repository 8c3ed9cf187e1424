package dev.quarry.workers.cli.llm;

import dev.quarry.llm.EmbeddedLlmServer;
import dev.quarry.llm.LlamaEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quarry llm serve}: runs a GGUF model in-process behind the OpenAI-compatible {@link
 * EmbeddedLlmServer} until SIGTERM or SIGINT, then shuts down cleanly (running requests finish
 * within the grace period, the model is freed).
 *
 * <p>A plain picocli command: {@code new CommandLine(new LlmServeCommand()).execute(args)}. The
 * caller should end the JVM with {@code System.exit} afterwards: java-llama.cpp 4.2.0 leaves a
 * non-daemon native thread behind after a model is closed (kherud/java-llama.cpp#116), which would
 * otherwise keep the JVM alive on the error paths that return.
 */
@Command(
    name = "serve",
    description = {
      "Serve a GGUF model on an OpenAI-compatible HTTP API (/v1/chat/completions,"
          + " /v1/completions, /v1/models, /health) until SIGTERM/SIGINT.",
      "The default model is SmolLM2-135M-Instruct; fetch it with scripts/ensure-model.sh."
    })
public class LlmServeCommand implements Callable<Integer> {
  static final String DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf";

  @Spec CommandSpec spec;

  @Option(
      names = {"-m", "--model"},
      paramLabel = "FILE.gguf",
      description =
          "The GGUF model. Default: $QUARRY_LLM_MODEL, else <QUARRY_HOME>/models/"
              + DEFAULT_MODEL_FILE
              + " if it exists ($QUARRY_HOME defaults to .quarry).")
  Path model;

  @Option(
      names = "--port",
      defaultValue = "${env:QUARRY_LLM_PORT:-8088}",
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}). The API has no authentication.")
  String host;

  @Option(
      names = "--ctx-size",
      defaultValue = "0",
      description = "Context size in tokens (default: the model's, at most 4096).")
  int ctxSize;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "CPU threads for inference (default: half the processors, 1 to 4, for decoding, which"
              + " small models do faster on few threads; all processors for prompt processing).")
  int threads;

  @Option(
      names = "--slots",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Requests generated at once, decoded together in one batch (default: ${DEFAULT-VALUE})."
              + " Each slot has the full --ctx-size, so the KV cache takes N times the memory. With"
              + " N > 1, a seed gives the same text only to a request that runs alone: batching"
              + " changes rounding. On few cores the gain is small (2 slots: ~1.15x tokens/s with"
              + " SmolLM2-135M on 2 vCPUs); for tiny models try --threads 1.")
  int slots;

  @Option(
      names = "--model-id",
      description =
          "Model name in /v1/models and responses (default: the file name without .gguf).")
  String modelId;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description =
          "How long running requests may take to finish on shutdown (default: ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      description =
          "Serve the retrained generator versions under DIR/registry/RUN/vN/model.gguf to requests"
              + " whose model is registry/RUN/vN (one loaded at a time besides the default model)."
              + " Default: <QUARRY_HOME>/models; 'none' turns it off.")
  String modelsDir;

  @Option(names = "--native-logs", description = "Let llama.cpp print its own logs.")
  boolean nativeLogs;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out =
        spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    PrintWriter err =
        spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    Path file = resolveModel();
    if (file == null) {
      err.println(
          "no model: pass --model FILE.gguf or set QUARRY_LLM_MODEL"
              + " (scripts/ensure-model.sh fetches the default "
              + DEFAULT_MODEL_FILE
              + ")");
      err.flush();
      return 2;
    }
    if (port < 0 || port > 65535 || ctxSize < 0 || threads < 0 || shutdownGraceSeconds < 0) {
      err.println(
          "--port must be 0-65535; --ctx-size, --threads and --shutdown-grace must be >= 0");
      err.flush();
      return 2;
    }
    if (slots < 1 || slots > LlamaEngine.Options.MAX_SLOTS) {
      err.println("--slots must be 1-" + LlamaEngine.Options.MAX_SLOTS);
      err.flush();
      return 2;
    }

    EmbeddedLlmServer server;
    try {
      LlamaEngine engine =
          LlamaEngine.load(
              new LlamaEngine.Options(file, modelId, ctxSize, threads, nativeLogs, slots));
      server = new EmbeddedLlmServer(engine, Duration.ofSeconds(shutdownGraceSeconds));
      if (!"none".equals(modelsDir)) {
        server.serveRegistry(
            modelsDir != null ? Path.of(modelsDir) : Path.of(quarryHome(), "models"));
      }
    } catch (IOException | RuntimeException e) {
      err.println("cannot load model " + file + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    try {
      server.start(host, port);
    } catch (IOException | RuntimeException e) {
      err.println("cannot listen on " + host + ":" + port + ": " + e.getMessage());
      err.flush();
      server.close();
      return 1;
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              out.println("stopped serving " + server.modelId());
              out.flush();
              stopped.countDown();
            },
            "llm-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("serving " + server.modelId() + " at " + server.baseUrl() + "/v1 (Ctrl-C to stop)");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running and will close the server
        return 0;
      }
      server.close();
    }
    return 0;
  }

  /** --model, else $QUARRY_LLM_MODEL, else the default model under $QUARRY_HOME if present. */
  Path resolveModel() {
    if (model != null) {
      return model;
    }
    String env = System.getenv("QUARRY_LLM_MODEL");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path candidate = Path.of(quarryHome(), "models", DEFAULT_MODEL_FILE);
    return Files.isRegularFile(candidate) ? candidate : null;
  }

  private static String quarryHome() {
    String home = System.getenv().getOrDefault("QUARRY_HOME", ".quarry");
    return home.isBlank() ? ".quarry" : home;
  }
}
