package dev.quarry.workers.cli.llm;

import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.llm.ScriptedMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quarry llm fake}: the scripted, instant OpenAI-compatible server of the scale benchmark
 * ({@link ScriptedLlmServer}), until SIGTERM or SIGINT.
 */
@Command(
    name = "fake",
    description = {
      "Serve scripted, instant replies on OpenAI-compatible /v1/chat/completions and /v1/completions"
          + " for benchmarks and pipeline checks. QueST: an add-two-integers problem, JSON test inputs,"
          + " a Python program (right in 3 rollouts of 4). SPARQ and ScaleQuest: word problems whose"
          + " answer is the sum of their numbers, solvers right in 2 rollouts of 3, a judge, a reward"
          + " score, a rewriter and a skill tagger. Deterministic per request."
    })
public class LlmFakeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8089",
      description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--delay-ms",
      defaultValue = "0",
      description =
          "Answer each chat request after this many milliseconds (default: ${DEFAULT-VALUE}), like a slow model.")
  long delayMs;

  @Option(
      names = "--slots",
      defaultValue = "0",
      description =
          "Serve at most this many completions at once; the rest wait for a slot, like a GPU server's fixed batch (default: ${DEFAULT-VALUE} = no limit). GET /stats tells served, in flight, waiting and busy slot-seconds.")
  int slots;

  @Option(
      names = "--mode",
      defaultValue = "normal",
      description =
          "Misbehave like a real endpoint (default: ${DEFAULT-VALUE}): normal, ignore-n, fewer, refuse, refuse-all, truncate, rate-limited, server-error, stall, malformed, other-model, mixed-difficulty (solvers right with a per-problem chance from 0 to 1). A request under /mode/<name>/v1 gets that mode whatever this says.")
  String mode;

  @Option(
      names = "--stall-ms",
      defaultValue = "10000",
      description =
          "How long the stall mode holds a request's first answer (default: ${DEFAULT-VALUE}).")
  long stallMs;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (delayMs < 0) {
      err.println("--delay-ms must be >= 0");
      err.flush();
      return 2;
    }
    if (slots < 0) {
      err.println("--slots must be >= 0 (0 = no limit)");
      err.flush();
      return 2;
    }
    ScriptedMode scriptedMode;
    try {
      scriptedMode = ScriptedMode.fromWireName(mode);
    } catch (IllegalArgumentException e) {
      err.println("--mode: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (stallMs < 0) {
      err.println("--stall-ms must be >= 0");
      err.flush();
      return 2;
    }
    ScriptedLlmServer server =
        new ScriptedLlmServer().delay(delayMs).slots(slots).mode(scriptedMode).stall(stallMs);
    try {
      server.start(host, port);
    } catch (IOException | RuntimeException e) {
      err.println("cannot listen on " + host + ":" + port + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "llm-fake-shutdown"));
    out.println(
        "serving scripted replies at "
            + server.baseUrl()
            + "/v1"
            + (slots > 0
                ? " (" + slots + " slots" + (delayMs > 0 ? ", " + delayMs + " ms each" : "") + ")"
                : "")
            + " (Ctrl-C to stop)");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }
}
