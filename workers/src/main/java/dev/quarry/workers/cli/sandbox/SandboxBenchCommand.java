package dev.quarry.workers.cli.sandbox;

import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import dev.quarry.workers.config.QuarrySettings;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The same (program, input) pairs three ways, in one run: batched in the sandbox (one container per
 * programs × inputs batch, as a candidate is run), one container per execution, and bare local
 * subprocesses with no isolation at all (the floor). Every mode uses the same parallelism.
 */
@Command(
    name = "bench",
    description =
        "Executions per second: batched sandbox vs one container per execution vs bare subprocesses.")
public class SandboxBenchCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;

  @Option(names = "--programs", defaultValue = "10", description = "Distinct trivial programs.")
  int programs;

  @Option(names = "--inputs", defaultValue = "100", description = "Inputs each program runs on.")
  int inputs;

  @Option(
      names = "--batch-inputs",
      defaultValue = "10",
      description =
          "Inputs per container in batched mode (a candidate's T); all programs run on them.")
  int batchInputs;

  @Option(
      names = "--per-container-sample",
      defaultValue = "1000",
      description =
          "Pairs run one container each; fewer than all measures that slow mode on a sample.")
  int perContainerSample;

  @Option(
      names = "--runsc",
      defaultValue = "auto",
      description =
          "Also measure batched mode on gVisor: auto (when the engine has runsc), yes, no.")
  String runsc;

  @Override
  public Integer call() throws Exception {
    List<String> sources = new ArrayList<>();
    for (int p = 0; p < programs; p++) {
      sources.add("import sys\nprint(sum(map(int, sys.stdin.read().split())) + " + p + ")\n");
    }
    List<String> stdin = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      stdin.add(i + " " + (i + 1) + "\n");
    }
    int pairs = programs * inputs;
    int parallelism = settings.getSandbox().getParallelism();
    ExecutionLimits limits = new ExecutionLimits(5, 128, 1 << 16);
    System.out.printf(
        "%d pairs (%d programs x %d inputs), parallelism %d%n",
        pairs, programs, inputs, parallelism);

    try (DockerSandboxExecutor sandbox = Sandboxes.open(settings)) {
      // Warm-up: image in page cache, JIT, first container.
      sandbox.run(
          new ExecutionBatch(Language.PYTHON, sources.subList(0, 1), stdin.subList(0, 1), limits));

      long start = System.nanoTime();
      int ok = 0;
      for (int from = 0; from < inputs; from += batchInputs) {
        BatchResult result =
            sandbox.run(
                new ExecutionBatch(
                    Language.PYTHON,
                    sources,
                    stdin.subList(from, Math.min(inputs, from + batchInputs)),
                    limits));
        ok += count(result.outcomes());
      }
      double batched = rate(pairs, start);
      report("batched", pairs, ok, start);
      double gvisor = batchedOnGvisor(sources, stdin, limits, pairs);

      int sample = Math.min(perContainerSample, pairs);
      start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(parallelism);
      List<Future<Integer>> runs = new ArrayList<>();
      for (int k = 0; k < sample; k++) {
        String source = sources.get(k % programs);
        String input = stdin.get(k / programs % inputs);
        runs.add(
            pool.submit(
                () ->
                    count(
                        sandbox
                            .run(
                                new ExecutionBatch(
                                    Language.PYTHON, List.of(source), List.of(input), limits))
                            .outcomes())));
      }
      ok = 0;
      for (Future<Integer> run : runs) {
        ok += run.get();
      }
      double perContainer = rate(sample, start);
      report("per-container", sample, ok, start);

      start = System.nanoTime();
      ok = bare(sources, stdin, parallelism);
      double bare = rate(pairs, start);
      report("bare", pairs, ok, start);
      pool.shutdown();

      System.out.printf("batched_vs_bare=%.2f%n", batched / bare);
      System.out.printf("batched_vs_per_container=%.1f%n", batched / perContainer);
      if (gvisor > 0) {
        System.out.printf("batched_runsc_vs_batched_runc=%.2f%n", gvisor / batched);
      }
      return 0;
    }
  }

  /**
   * Local python3 processes with no isolation, spawned by a small Python driver with a thread pool
   * of the same width, as the in-container runner spawns them: the JVM's own process spawning is
   * slower and would flatter the sandbox.
   */
  private static int bare(List<String> sources, List<String> stdin, int parallelism)
      throws Exception {
    String python = interpreter();
    System.out.println("bare interpreter: " + python);
    Path dir = Files.createTempDirectory("quarry-bench");
    for (int p = 0; p < sources.size(); p++) {
      Files.writeString(dir.resolve("p" + p + ".py"), sources.get(p));
    }
    Files.writeString(dir.resolve("inputs.txt"), String.join("", stdin));
    Path driver =
        Files.writeString(
            dir.resolve("driver.py"),
            String.join(
                "\n",
                "import concurrent.futures, glob, subprocess, sys",
                "d, width = sys.argv[1], int(sys.argv[2])",
                "programs = sorted(glob.glob(d + '/p*.py'))",
                "inputs = [line + '\\n' for line in open(d + '/inputs.txt').read().splitlines()]",
                "def run(pair):",
                "    p, i = pair",
                "    r = subprocess.run([sys.executable, '-I', p], input=i.encode(), capture_output=True)",
                "    return r.returncode == 0",
                "with concurrent.futures.ThreadPoolExecutor(width) as pool:",
                "    ok = sum(pool.map(run, [(p, i) for p in programs for i in inputs]))",
                "print(ok)",
                ""));
    Process process =
        new ProcessBuilder(
                python, "-I", driver.toString(), dir.toString(), Integer.toString(parallelism))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the bare driver failed");
    }
    return Integer.parseInt(out);
  }

  /**
   * The interpreter itself, not a wrapper: `python3` on PATH may be a shim (pyenv's is a shell
   * script costing ~100 ms a start), which would make the floor look far slower than it is.
   * Debian's own python3 is preferred: it is the interpreter the sandbox image carries.
   */
  private static String interpreter() throws IOException, InterruptedException {
    if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
      return "/usr/bin/python3";
    }
    Process probe =
        new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
    String path = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    probe.waitFor();
    return path.isEmpty() ? "python3" : path;
  }

  /**
   * The batched mode again with the sandbox on gVisor (sandbox runtime runsc); its rate, or 0 when
   * skipped (the engine has no runsc: scripts/ensure-gvisor.sh says why).
   */
  private double batchedOnGvisor(
      List<String> sources, List<String> stdin, ExecutionLimits limits, int pairs)
      throws Exception {
    if (runsc.equals("no")) {
      return 0;
    }
    SandboxSettings gvisor =
        settings.getSandbox().toSandboxSettings().withRuntime(SandboxSettings.RUNSC);
    try (DockerSandboxExecutor sandbox = DockerSandboxExecutor.create(gvisor)) {
      if (!sandbox.runtimeAvailable()) {
        if (runsc.equals("yes")) {
          throw new IllegalStateException(
              "the Docker engine has no runsc runtime: run scripts/ensure-gvisor.sh");
        }
        System.out.println(
            "batched-runsc  skipped: the Docker engine has no runsc runtime (scripts/ensure-gvisor.sh)");
        return 0;
      }
      sandbox.run(
          new ExecutionBatch(Language.PYTHON, sources.subList(0, 1), stdin.subList(0, 1), limits));
      long start = System.nanoTime();
      int ok = 0;
      for (int from = 0; from < stdin.size(); from += batchInputs) {
        ok +=
            count(
                sandbox
                    .run(
                        new ExecutionBatch(
                            Language.PYTHON,
                            sources,
                            stdin.subList(from, Math.min(stdin.size(), from + batchInputs)),
                            limits))
                    .outcomes());
      }
      double rate = rate(pairs, start);
      report("batched-runsc", pairs, ok, start);
      return rate;
    }
  }

  private static int count(List<ExecutionOutcome> outcomes) {
    return (int) outcomes.stream().filter(o -> o.verdict() == Verdict.OK).count();
  }

  private static double rate(int executions, long start) {
    return executions / ((System.nanoTime() - start) / 1e9);
  }

  private static void report(String mode, int executions, int ok, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%-14s %5d executions (%d ok) in %7.2f s = %8.1f executions/s%n",
        mode, executions, ok, seconds, executions / seconds);
  }
}
