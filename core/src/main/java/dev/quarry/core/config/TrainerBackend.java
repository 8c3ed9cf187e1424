package dev.quarry.core.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the generator is retrained between rounds ({@code trainer.backend}). Serialized in lower
 * case, as run configs and recorded workflow histories spell it.
 */
public enum TrainerBackend {
  /** File the round's RFT export as the next version's data and keep the model. */
  RECORD,
  /** An OpenAI-compatible fine-tuning API. */
  OPENAI,
  /** A user-supplied trainer image. */
  CONTAINER,
  /** The Python LoRA trainer worker (trainer/), on its own task queue. */
  PYTHON;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
