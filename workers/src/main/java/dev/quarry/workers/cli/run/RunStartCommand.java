package dev.quarry.workers.cli.run;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.quarry.activities.store.Json;
import dev.quarry.core.config.Method;
import dev.quarry.core.config.RolesInUse;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigException;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.core.seeds.SeedFileException;
import dev.quarry.core.seeds.SeedSet;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.TemporalConnection;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", description = "Validate a run config and start a generation run.")
public class RunStartCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;

  @Option(names = "--config", required = true, description = "Run config file (YAML or JSON).")
  Path configFile;

  @Option(names = "--id", description = "Run id (the workflow id). Default: quarry-<time>.")
  String runId;

  @Option(names = "--wait", description = "Follow the run's progress until it completes.")
  boolean waitForCompletion;

  @Option(
      names = "--skip-endpoint-check",
      description =
          "Do not check that the roles' endpoints accept connections from this machine"
              + " (when only the workers can reach them).")
  boolean skipEndpointCheck;

  @Override
  public Integer call() throws Exception {
    RunConfig config;
    try {
      config = resolvePaths(RunConfigLoader.load(configFile));
      // ScaleQuest generates from scratch: it reads no seed file.
      if (config.method() != Method.SCALEQUEST) {
        SeedSet seeds = config.seeds().format().load(Path.of(config.seeds().file()));
        System.out.println(
            "seeds: " + seeds.problems().size() + " problems from " + seeds.source());
        seeds.skipped().forEach(s -> System.out.println("  skipped " + s));
        long bare = seeds.problems().stream().filter(p -> p.concepts().isEmpty()).count();
        if (bare > 0 && !config.concepts().extract()) {
          System.out.println(
              "  "
                  + bare
                  + " seeds give no concepts and take no part in the graph"
                  + " (set concepts.extract: true to have the conceptExtractor role list them)");
          if (bare == seeds.problems().size()) {
            throw new SeedFileException(
                "no seed in "
                    + seeds.source()
                    + " gives concepts and"
                    + " concepts.extract is false: the concept graph would be empty");
          }
        }
      }
      if (!skipEndpointCheck) {
        List<String> unreachable = EndpointCheck.unreachable(RolesInUse.of(config));
        if (!unreachable.isEmpty()) {
          System.err.println("the run's model endpoints do not answer from this machine:");
          unreachable.forEach(p -> System.err.println("  - " + p));
          System.err.println(
              "start the server (./quarry dev up serves the embedded model), fix the"
                  + " endpoint in the run config, or pass --skip-endpoint-check if only the workers"
                  + " can reach it.");
          System.err.println("no run was started.");
          return 2;
        }
      }
    } catch (RunConfigException | SeedFileException e) {
      System.err.println(e.getMessage());
      System.err.println("no run was started.");
      return 2;
    }
    String id =
        runId != null
            ? runId
            : "quarry-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Map<String, Object> input = Json.MAPPER.convertValue(config, new TypeReference<>() {});
    try (TemporalConnection temporal = TemporalConnection.open(settings)) {
      GenerationRunWorkflow run =
          temporal
              .client()
              .newWorkflowStub(
                  GenerationRunWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(id)
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build());
      try {
        WorkflowClient.start(run::run, RunInput.start(input));
      } catch (WorkflowExecutionAlreadyStarted e) {
        System.err.println("a run with id '" + id + "' is already running; pick another --id");
        return 2;
      }
      String ui =
          settings.getTemporal().uiAddress()
              + "/namespaces/"
              + settings.getTemporal().getNamespace()
              + "/workflows/"
              + id;
      System.out.println("started run " + id);
      System.out.println("web UI: " + ui);
      System.out.println("status: ./quarry run status " + id);
      if (!waitForCompletion) {
        return 0;
      }
      return new RunFollower(temporal, settings).follow(id);
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      return 1;
    }
  }

  /** Workers may run elsewhere: paths go into the run as absolute paths. */
  private static RunConfig resolvePaths(RunConfig c) {
    String file = c.seeds().file();
    String seeds =
        file == null || file.isBlank()
            ? file
            : Path.of(file).toAbsolutePath().normalize().toString();
    String output = Path.of(c.outputDir()).toAbsolutePath().normalize().toString();
    var benchmarks =
        c.decontamination().files().stream()
            .map(f -> Path.of(f).toAbsolutePath().normalize().toString())
            .toList();
    return c.withPaths(seeds, output).withDecontaminationFiles(benchmarks);
  }
}
