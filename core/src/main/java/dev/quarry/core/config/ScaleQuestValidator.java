package dev.quarry.core.config;

import java.util.List;

/** Checks of the {@code scalequest:} block; each message names the field and the fix. */
final class ScaleQuestValidator {
  private ScaleQuestValidator() {}

  static void validate(List<String> p, ScaleQuestConfig s) {
    if (s == null) {
      p.add(
          "field 'scalequest': the block is missing; remove 'scalequest: null' to take the defaults");
      return;
    }
    if (s.questionPrefix() == null || s.questionPrefix().isEmpty()) {
      p.add(
          "field 'scalequest.questionPrefix': set the raw text the question generator continues"
              + " (for a ChatML model: its system turn and '<|im_start|>user\\n')");
    }
    if (s.questionStop().stream().anyMatch(stop -> stop == null || stop.isEmpty())) {
      p.add("field 'scalequest.questionStop': stop sequences must be non-empty strings");
    }
    share(p, "scalequest.minLatinShare", s.minLatinShare());
    share(p, "scalequest.minEnglishWordShare", s.minEnglishWordShare());
    // The embedded server and most OpenAI-compatible servers cap n per request at 16.
    RunConfigValidator.range(p, "scalequest.solverSamples", s.solverSamples(), 1, 16);
    if (s.minReplies() != null) {
      RunConfigValidator.range(p, "scalequest.minReplies", s.minReplies(), 1, s.solverSamples());
    }
    RunConfigValidator.range(p, "scalequest.responseSamples", s.responseSamples(), 1, 16);
    share(p, "scalequest.minFailRate", s.minFailRate());
    share(p, "scalequest.maxFailRate", s.maxFailRate());
    if (s.minFailRate() > s.maxFailRate()) {
      p.add(
          "field 'scalequest.minFailRate': "
              + s.minFailRate()
              + " is above maxFailRate "
              + s.maxFailRate()
              + "; no question could pass");
    }
    share(p, "scalequest.qpoDifficultyShare", s.qpoDifficultyShare());
  }

  private static void share(List<String> p, String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      p.add("field '" + field + "': " + value + " is outside [0, 1]");
    }
  }
}
