package dev.quarry.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the generator is retrained between rounds.
 *
 * @param backend {@code record} (file the data, keep the model), {@code openai} (an
 *     OpenAI-compatible fine-tuning API), {@code container} (a user-supplied trainer image) or
 *     {@code python} (the LoRA trainer worker)
 * @param openai settings of the {@code openai} backend; null unless that backend is chosen
 * @param python settings of the {@code python} backend (the TRL/PEFT trainer worker in trainer/)
 */
public record TrainerConfig(
    TrainerBackend backend, OpenAi openai, Container container, Python python) {
  public static final List<String> LORA_TARGETS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  /**
   * The Python trainer worker (trainer/quarry_trainer): LoRA SFT on the round's RFT export (or DPO
   * on its QPO pairs), merged into a new GGUF in the model registry that the embedded LLM server
   * serves by name. It polls its own task queue, so the Java train worker never receives its
   * activity type.
   *
   * @param taskQueue the queue the Python worker polls
   * @param baseModel the GGUF the first version is trained from: a path, or a file name under
   *     QUARRY_HOME/models
   * @param data {@code rft} (supervised LoRA) or {@code dpo} (preference pairs)
   * @param loraTargets module names; v/o/gate/up/down are merged exactly into llama.cpp's layout
   *     (q/k are permuted for RoPE by llama.cpp's converter, so they are not offered by default)
   * @param epochs passes over the data; {@code maxSteps} > 0 caps the optimizer steps instead
   * @param heartbeatSeconds the activity's heartbeat timeout: a killed trainer is retried after it
   */
  public record Python(
      String taskQueue,
      String baseModel,
      TrainingData data,
      int loraR,
      int loraAlpha,
      List<String> loraTargets,
      double epochs,
      int maxSteps,
      double learningRate,
      int batchSize,
      int maxSeqLen,
      long seed,
      int heartbeatSeconds) {
    public Python {
      loraTargets = loraTargets == null ? List.of() : List.copyOf(loraTargets);
    }
  }

  /**
   * A user-supplied trainer image: the round's RFT export is mounted read-only under /data (its
   * path in QUARRY_TRAINING_DATA), /output is writable, and the image writes /output/model.json =
   * {"model": NAME, "metrics": {"loss": X}}.
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
      TrainingData data) {
    public OpenAi {
      hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }
  }

  /** Every problem with this block, each saying what to fix; empty when it is usable. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (backend == null) {
      problems.add("trainer.backend must be one of " + Enums.wireNames(TrainerBackend.class));
      return problems;
    }
    switch (backend) {
      case RECORD -> {}
      case OPENAI -> openAiProblems(problems);
      case CONTAINER -> containerProblems(problems);
      case PYTHON -> pythonProblems(problems);
    }
    return problems;
  }

  private void openAiProblems(List<String> problems) {
    if (openai == null) {
      problems.add("trainer.backend is openai but the trainer.openai block is missing");
      return;
    }
    if (openai.endpoint() == null || !openai.endpoint().matches("https?://.+")) {
      problems.add(
          "trainer.openai.endpoint must be an http(s) URL such as https://api.openai.com/v1/");
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
    if (openai.data() == null) {
      problems.add("trainer.openai.data must be rft or dpo");
    }
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
      problems.add(
          "trainer.container.gpus must be a count such as 0 or 2, or all; got '"
              + container.gpus()
              + "'");
    }
    for (String name : container.env()) {
      if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        problems.add(
            "trainer.container.env lists variable NAMES to pass through; '"
                + name
                + "' is not one");
      }
    }
  }

  private void pythonProblems(List<String> problems) {
    if (python == null) {
      problems.add("trainer.backend is python but the trainer.python block is missing");
      return;
    }
    if (python.taskQueue() == null || !python.taskQueue().matches("[A-Za-z0-9._-]+")) {
      problems.add(
          "trainer.python.taskQueue must name the Python worker's task queue (letters, digits, . _ -), got '"
              + python.taskQueue()
              + "'");
    }
    if (python.baseModel() == null || !python.baseModel().endsWith(".gguf")) {
      problems.add(
          "trainer.python.baseModel must be the base model's GGUF file (a path, or a name under"
              + " QUARRY_HOME/models), e.g. SmolLM2-135M-Instruct.Q4_1.gguf; got '"
              + python.baseModel()
              + "'");
    }
    if (python.data() == null) {
      problems.add("trainer.python.data must be rft (LoRA SFT) or dpo (preference pairs)");
    }
    if (python.loraR() < 1 || python.loraR() > 1024) {
      problems.add("trainer.python.loraR must be 1 to 1024, got " + python.loraR());
    }
    if (python.loraAlpha() < 1) {
      problems.add("trainer.python.loraAlpha must be at least 1, got " + python.loraAlpha());
    }
    if (python.loraTargets().isEmpty()) {
      problems.add(
          "trainer.python.loraTargets must list at least one module, e.g. [v_proj, o_proj]");
    }
    for (String target : python.loraTargets()) {
      if (!LORA_TARGETS.contains(target)) {
        problems.add("trainer.python.loraTargets: '" + target + "' is not one of " + LORA_TARGETS);
      }
    }
    if (!(python.epochs() > 0) && python.maxSteps() < 1) {
      problems.add(
          "trainer.python needs epochs > 0 or maxSteps >= 1, got epochs "
              + python.epochs()
              + " and maxSteps "
              + python.maxSteps());
    }
    if (python.maxSteps() < 0) {
      problems.add(
          "trainer.python.maxSteps must be 0 (use epochs) or more, got " + python.maxSteps());
    }
    if (!(python.learningRate() > 0 && python.learningRate() < 1)) {
      problems.add(
          "trainer.python.learningRate must be between 0 and 1, e.g. 2e-4; got "
              + python.learningRate());
    }
    if (python.batchSize() < 1) {
      problems.add("trainer.python.batchSize must be at least 1, got " + python.batchSize());
    }
    if (python.maxSeqLen() < 16) {
      problems.add(
          "trainer.python.maxSeqLen must be at least 16 tokens, got " + python.maxSeqLen());
    }
    if (python.heartbeatSeconds() < 5) {
      problems.add(
          "trainer.python.heartbeatSeconds must be at least 5 (the trainer heartbeats every few"
              + " seconds), got "
              + python.heartbeatSeconds());
    }
  }
}
