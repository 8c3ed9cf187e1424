package dev.quarry.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the generator is retrained between rounds.
 *
 * @param backend {@code record} (file the data, keep the model) or {@code openai} (an
 *     OpenAI-compatible fine-tuning API)
 * @param openai settings of the {@code openai} backend; null unless that backend is chosen
 */
public record TrainerConfig(String backend, OpenAi openai) {
  public static final List<String> BACKENDS = List.of("record", "openai");

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
}
