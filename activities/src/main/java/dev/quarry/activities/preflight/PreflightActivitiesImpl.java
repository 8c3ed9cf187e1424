package dev.quarry.activities.preflight;

import dev.quarry.activities.dataset.BenchmarkTexts;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.config.Method;
import dev.quarry.core.config.RolesInUse;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.seeds.SeedFileException;
import dev.quarry.core.seeds.SeedSet;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.activities.PreflightActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The run's preflight on the workers (see {@link PreflightActivities}). Every message names the
 * role or field and what to fix; key values never appear in one.
 */
public final class PreflightActivitiesImpl implements PreflightActivities {
  private final EndpointProbe probe;
  private final Function<String, String> environment;
  private final BenchmarkTexts benchmarks;

  public PreflightActivitiesImpl() {
    this(new EndpointProbe(), System::getenv, new BenchmarkTexts());
  }

  public PreflightActivitiesImpl(
      EndpointProbe probe, Function<String, String> environment, BenchmarkTexts benchmarks) {
    this.probe = probe;
    this.environment = environment;
    this.benchmarks = benchmarks;
  }

  /** One check per (endpoint, model, key variable); the roles sharing it are named together. */
  private record Target(String endpoint, String model, String keyVariable) {}

  @Override
  public List<String> checkEndpoints(RunConfig config) {
    Map<Target, List<String>> targets = new LinkedHashMap<>();
    RolesInUse.of(config)
        .forEach(
            (name, role) ->
                targets
                    .computeIfAbsent(
                        new Target(role.endpoint(), role.model(), role.apiKeyEnv()),
                        t -> new ArrayList<>())
                    .add(name));
    List<String> checked = new ArrayList<>();
    for (Map.Entry<Target, List<String>> entry : targets.entrySet()) {
      checked.add(check(entry.getKey(), entry.getValue()));
    }
    return checked;
  }

  private String check(Target target, List<String> roles) {
    String who = (roles.size() == 1 ? "role " : "roles ") + String.join(", ", roles);
    String field = "roles." + roles.get(0);
    String key = null;
    if (target.keyVariable() != null && !target.keyVariable().isBlank()) {
      key = environment.apply(target.keyVariable());
      if (key == null || key.isBlank()) {
        throw failed(
            who
                + ": environment variable "
                + target.keyVariable()
                + " ("
                + field
                + ".apiKeyEnv) is not set on the LLM worker; export it there with the endpoint's API key");
      }
    }
    EndpointProbe.Result result = probe.probe(target.endpoint(), target.model(), key);
    return switch (result.kind()) {
      case OK -> who + ": " + target.endpoint() + " " + result.detail();
      case KEY_REFUSED ->
          throw failed(
              who
                  + ": "
                  + target.endpoint()
                  + " refused the API key ("
                  + result.detail()
                  + "); "
                  + (target.keyVariable() == null
                      ? "it needs one: put the key in an environment variable on the LLM workers and name it in "
                          + field
                          + ".apiKeyEnv"
                      : "put a valid key in "
                          + target.keyVariable()
                          + " ("
                          + field
                          + ".apiKeyEnv) on the LLM workers"));
      case MODEL_UNKNOWN ->
          throw failed(
              who
                  + ": "
                  + target.endpoint()
                  + " does not serve model '"
                  + target.model()
                  + "' ("
                  + result.detail()
                  + ")"
                  + (result.served().isEmpty() ? "" : "; it lists " + result.served())
                  + "; fix "
                  + field
                  + ".model");
      case UNREACHABLE, SERVER_ERROR ->
          throw Failures.infrastructure(
              "EndpointUnavailable",
              who
                  + ": "
                  + target.endpoint()
                  + " does not answer ("
                  + result.detail()
                  + "); start the server or fix "
                  + field
                  + ".endpoint",
              null);
    };
  }

  @Override
  public List<String> checkFiles(RunConfig config) {
    List<String> checked = new ArrayList<>();
    if (config.method() != Method.SCALEQUEST) {
      String file = config.seeds().file();
      Path path = Path.of(file);
      if (!Files.isRegularFile(path)) {
        throw failed(
            "seeds.file: "
                + path.toAbsolutePath()
                + " does not exist on the workflow worker; fix the"
                + " path (or mount the file there)");
      }
      try {
        SeedSet seeds = config.seeds().format().load(path);
        if (seeds.problems().isEmpty()) {
          throw failed(
              "seeds.file: "
                  + path
                  + " holds no usable seed problem (format "
                  + config.seeds().format()
                  + "); check the file and seeds.format");
        }
        checked.add("seeds.file: " + seeds.problems().size() + " problems from " + path);
      } catch (SeedFileException e) {
        throw failed("seeds.file: " + e.getMessage());
      }
    }
    List<String> files = config.decontamination().files();
    for (int i = 0; i < files.size(); i++) {
      if (!Files.isRegularFile(Path.of(files.get(i)))) {
        throw failed(
            "decontamination.files["
                + i
                + "]: "
                + Path.of(files.get(i)).toAbsolutePath()
                + " does not exist on the workflow worker; fix the path (or mount the file there)");
      }
    }
    if (!files.isEmpty()) {
      try {
        benchmarks.index(files, config.decontamination().n());
        checked.add("decontamination.files: " + files.size() + " benchmark files read");
      } catch (IOException | RuntimeException e) {
        throw failed("decontamination.files: cannot read a benchmark file: " + e.getMessage());
      }
    }
    return checked;
  }

  private static ApplicationFailure failed(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ActivityStubs.PREFLIGHT_FAILED);
  }
}
