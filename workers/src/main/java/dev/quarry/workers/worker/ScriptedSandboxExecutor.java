package dev.quarry.workers.worker;

import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.SandboxExecutor;
import dev.quarry.core.sandbox.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The scale benchmark's sandbox ({@code QUARRY_SANDBOX_MODE=scripted}): runs nothing. Every
 * (program, input) ends OK with an output derived from the SHA-256 of both, so the same program
 * agrees with itself and different programs disagree, as real deterministic programs would; δ then
 * spreads as with the scripted LLM's mix of right and wrong solutions. It measures the
 * orchestration (Temporal, workers, store) without the cost of a container per candidate.
 */
public final class ScriptedSandboxExecutor implements SandboxExecutor {
  @Override
  public BatchResult run(ExecutionBatch batch) {
    List<ExecutionOutcome> outcomes = new ArrayList<>(batch.size());
    for (int p = 0; p < batch.programs().size(); p++) {
      for (int i = 0; i < batch.inputs().size(); i++) {
        String output = hash(batch.programs().get(p), batch.inputs().get(i)) + "\n";
        outcomes.add(new ExecutionOutcome(p, i, Verdict.OK, output, "", 0, 0.0));
      }
    }
    return new BatchResult(outcomes);
  }

  private static String hash(String program, String input) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(program.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(input.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
