package dev.quarry.core.config;

import java.util.List;

/**
 * n-gram decontamination against benchmark files: a selected row whose problem shares n consecutive
 * normalised words with any benchmark text is dropped with the reason.
 *
 * @param files benchmark files: JSONL (every string field of every row is a benchmark text) or
 *     plain text (the whole file is one text); read by the worker that writes the shards
 * @param n the n-gram length in words (13 as in the GPT-3 report)
 */
public record DecontaminationConfig(List<String> files, int n) {
  public DecontaminationConfig {
    files = files == null ? List.of() : List.copyOf(files);
  }
}
