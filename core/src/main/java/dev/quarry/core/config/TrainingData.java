package dev.quarry.core.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which export of a round a trainer learns from ({@code trainer.openai.data}, {@code
 * trainer.python.data}). Serialized in lower case, as configs and histories spell it; the wire name
 * is also the export's file suffix (round-N.rft.jsonl, round-N.dpo.jsonl).
 */
public enum TrainingData {
  /** Supervised fine-tuning on the round's rejection-sampled (problem, solution) rows. */
  RFT,
  /** Preference pairs from ScaleQuest's QPO rewrites. */
  DPO;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
