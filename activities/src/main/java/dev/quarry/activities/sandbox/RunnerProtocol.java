package dev.quarry.activities.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The wire format of sandbox-images/runner/runner.py: one JSON request on stdin, as one line; one
 * JSON line per execution, then {"done":true,"count":N} on stdout, every line carrying the
 * request's nonce.
 *
 * <p>What is trusted: the runner's stdout, which only root in the container (the runner and PID 1)
 * can write; programs run as other uids and cannot open it (docs/sandbox.md). A program's own
 * output arrives only as a JSON string inside a line the runner wrote, so nothing a program prints
 * can become a line of its own. The nonce is a second check on top.
 *
 * <p>Decoding is strict on purpose: a verdict only counts with positive evidence that the whole
 * batch ran and that the runner wrote it, so anything short of exactly one line per (program,
 * input) plus a matching done line, all with the nonce, is a disrupted batch, never a partial
 * result.
 */
final class RunnerProtocol {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunnerProtocol() {}

  static byte[] encodeRequest(ExecutionBatch batch, int parallelism, String nonce, int uidBase) {
    ObjectNode request = JSON.createObjectNode();
    request.put("nonce", nonce);
    request.put("uidBase", uidBase);
    request.put("language", batch.language().wireName());
    ArrayNode programs = request.putArray("programs");
    batch.programs().forEach(programs::add);
    ArrayNode inputs = request.putArray("inputs");
    batch.inputs().forEach(inputs::add);
    ObjectNode limits = request.putObject("limits");
    limits.put("wallSeconds", batch.limits().wallSeconds());
    limits.put("memoryMb", batch.limits().memoryMb());
    limits.put("outputBytes", batch.limits().outputBytes());
    request.put("parallelism", parallelism);
    try {
      // One line, newline-terminated: the runner reads up to it and never needs stdin's EOF.
      // (Deflating big requests saved only ~20 ms per MB of input: not worth a second format.)
      return (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a sandbox request", e);
    }
  }

  /**
   * The outcomes in (program, input) order.
   *
   * @throws BatchDisruptedException when the output is not a complete, well-formed report, all of
   *     it signed with {@code nonce}
   */
  static BatchResult decode(byte[] stdout, ExecutionBatch batch, String nonce)
      throws BatchDisruptedException {
    int programs = batch.programs().size();
    int inputs = batch.inputs().size();
    ExecutionOutcome[] seen = new ExecutionOutcome[batch.size()];
    Integer doneCount = null;
    List<String> lines = List.of(new String(stdout, StandardCharsets.UTF_8).split("\n"));
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      if (doneCount != null) {
        throw malformed("output after the done line", line);
      }
      JsonNode node = parse(line);
      if (!nonce.equals(node.path("nonce").asText(null))) {
        throw malformed("a line without the batch's nonce (written by a program?)", line);
      }
      if (node.path("done").asBoolean(false)) {
        if (!node.path("count").canConvertToInt()) {
          throw malformed("done line without a count", line);
        }
        doneCount = node.path("count").asInt();
        continue;
      }
      ExecutionOutcome outcome = outcome(node, line);
      if (outcome.programIndex() < 0
          || outcome.programIndex() >= programs
          || outcome.inputIndex() < 0
          || outcome.inputIndex() >= inputs) {
        throw malformed("execution index out of range", line);
      }
      int slot = outcome.programIndex() * inputs + outcome.inputIndex();
      if (seen[slot] != null) {
        throw malformed("execution reported twice", line);
      }
      seen[slot] = outcome;
    }
    if (doneCount == null) {
      throw new BatchDisruptedException(
          "sandbox runner ended without its done line: the batch did not run to the end");
    }
    List<ExecutionOutcome> outcomes = new ArrayList<>(batch.size());
    for (ExecutionOutcome outcome : seen) {
      if (outcome != null) {
        outcomes.add(outcome);
      }
    }
    if (doneCount != batch.size() || outcomes.size() != batch.size()) {
      throw new BatchDisruptedException(
          "sandbox runner reported "
              + outcomes.size()
              + " executions and done count "
              + doneCount
              + ", expected "
              + batch.size());
    }
    outcomes.sort(
        Comparator.comparingInt(ExecutionOutcome::programIndex)
            .thenComparingInt(ExecutionOutcome::inputIndex));
    return new BatchResult(outcomes);
  }

  private static ExecutionOutcome outcome(JsonNode node, String line)
      throws BatchDisruptedException {
    for (String field : List.of("program", "input", "exitCode")) {
      if (!node.path(field).canConvertToInt()) {
        throw malformed("missing or non-integer '" + field + "'", line);
      }
    }
    if (!node.path("verdict").isTextual() || !node.path("wallSeconds").isNumber()) {
      throw malformed("missing verdict or wallSeconds", line);
    }
    Verdict verdict;
    try {
      verdict = Verdict.valueOf(node.get("verdict").asText());
    } catch (IllegalArgumentException e) {
      throw malformed("unknown verdict", line);
    }
    // The runner only reports how a program ended: WRONG_ANSWER is the caller's call, a
    // SANDBOX_ERROR line would be a runner asking for a retry it cannot get this way, and only
    // the executor, from disrupted containers, can find a SANDBOX_VIOLATION.
    if (verdict == Verdict.WRONG_ANSWER
        || verdict == Verdict.SANDBOX_ERROR
        || verdict == Verdict.SANDBOX_VIOLATION) {
      throw malformed("verdict the runner never reports", line);
    }
    return new ExecutionOutcome(
        node.get("program").asInt(),
        node.get("input").asInt(),
        verdict,
        node.path("stdout").asText(""),
        node.path("stderrTail").asText(""),
        node.get("exitCode").asInt(),
        node.get("wallSeconds").asDouble());
  }

  private static JsonNode parse(String line) throws BatchDisruptedException {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw malformed("not a JSON object", line);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw malformed("not JSON (" + e.getOriginalMessage() + ")", line);
    }
  }

  private static BatchDisruptedException malformed(String what, String line) {
    String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
    return new BatchDisruptedException("malformed sandbox runner output: " + what + ": " + shown);
  }
}
