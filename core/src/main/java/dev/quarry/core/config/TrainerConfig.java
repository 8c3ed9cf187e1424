package dev.quarry.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the generator is retrained between rounds.
 *
 * @param backend {@code record} (file the data, keep the model), {@code openai} (an
 *     OpenAI-compatible fine-tuning API) or {@code container} (a user-supplied trainer image)
 * @param openai settings of the {@code openai} backend; null unless that backend is chosen
 */
public record TrainerConfig(String backend, OpenAi openai, Container container) {
  public static final List<String> BACKENDS = List.of("record", "openai", "container");

  /**
   * A user-supplied trainer image: the round's RFT export is mounted read-only under /data (its
   * path in QUARRY_TRAINING_DATA), /output is writable, and the image writes
   * /output/model.json = {"model": NAME, "metrics": {"loss": X}}.
   *
   * @param command the container command; empty keeps the image's
   * @param gpus "0" for none, a count, or "all"
   * @param env NAMES of train-worker environment variables passed through
   */
  public record Container(String image, List<String> command, String gpus, List<String> env) {
    public Container {
      command = command == null ? List.of() : List.copyOf(command);
      env = env == null ? List.of() : List.copyOf(env);
    }

    /** Docker's device-request count: -1 for all GPUs. */
    public int gpuCount() {
      return "all".equals(gpus) ? -1 : Integer.parseInt(gpus);
    }
  }

  /**
   * An OpenAI-compatible fine-tuning API.
   *
   * @param endpoint base URL ending in {@code /v1/}
   * @param apiKeyEnv NAME of the environment variable holding the key; the key itself never enters
   *     the config, workflow inputs or histories
   * @param baseModel the model the first fine-tune starts from
   * @param suffix added by the provider to the fine-tuned model name
   * @param hyperparameters passed through as the job's hyperparameters (n_epochs, ...)
   * @param pollSeconds seconds between job status polls
   * @param data which export the job trains on: {@code rft} (supervised) or {@code dpo}
   */
  public record OpenAi(
      String endpoint,
      String apiKeyEnv,
      String baseModel,
      String suffix,
      Map<String, Object> hyperparameters,
      int pollSeconds,
      String data) {
    public OpenAi {
      hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }
  }

  /** Every problem with this block, each saying what to fix; empty when it is usable. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!BACKENDS.contains(backend)) {
      problems.add("trainer.backend must be one of " + BACKENDS + ", got '" + backend + "'");
      return problems;
    }
    if (backend.equals("container")) {
      containerProblems(problems);
      return problems;
    }
    if (!backend.equals("openai")) {
      return problems;
    }
    if (openai == null) {
      problems.add("trainer.backend is openai but the trainer.openai block is missing");
      return problems;
    }
    if (openai.endpoint() == null || !openai.endpoint().matches("https?://.+")) {
      problems.add("trainer.openai.endpoint must be an http(s) URL such as https://api.openai.com/v1/");
    }
    if (openai.apiKeyEnv() == null || !openai.apiKeyEnv().matches("[A-Za-z_][A-Za-z0-9_]*")) {
      problems.add(
          "trainer.openai.apiKeyEnv must name an environment variable (e.g. OPENAI_API_KEY),"
              + " never hold the key itself");
    }
    if (openai.baseModel() == null || openai.baseModel().isBlank()) {
      problems.add("trainer.openai.baseModel must name the model to fine-tune");
    }
    if (openai.pollSeconds() < 1) {
      problems.add("trainer.openai.pollSeconds must be at least 1, got " + openai.pollSeconds());
    }
    if (!List.of("rft", "dpo").contains(openai.data())) {
      problems.add("trainer.openai.data must be rft or dpo, got '" + openai.data() + "'");
    }
    return problems;
  }

  private void containerProblems(List<String> problems) {
    if (container == null) {
      problems.add("trainer.backend is container but the trainer.container block is missing");
      return;
    }
    if (container.image() == null || container.image().isBlank()) {
      problems.add("trainer.container.image must name the trainer image, e.g. my-trainer:latest");
    }
    if (container.gpus() == null || !container.gpus().matches("all|[0-9]{1,3}")) {
      problems.add("trainer.container.gpus must be a count such as 0 or 2, or all; got '" + container.gpus() + "'");
    }
    for (String name : container.env()) {
      if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        problems.add("trainer.container.env lists variable NAMES to pass through; '" + name + "' is not one");
      }
    }
  }
}
