package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner's wire format, without an engine: strictness is what makes a verdict trusted. */
class DockerRunnerProtocolTest {
  private static final ExecutionBatch BATCH =
      new ExecutionBatch(
          Language.PYTHON,
          List.of("print(1)", "print(2)"),
          List.of("a\nb", "é"),
          new ExecutionLimits(2.5, 64, 1000));

  private static final String NONCE = "n0nce";

  private static String line(int program, int input, String verdict) {
    return "{\"program\":%d,\"input\":%d,\"verdict\":\"%s\",\"stdout\":\"x\\n\",\"stderrTail\":\"\",\"exitCode\":0,\"wallSeconds\":0.01,\"nonce\":\"%s\"}"
        .formatted(program, input, verdict, NONCE);
  }

  private static byte[] report(String... lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static final String DONE = "{\"done\":true,\"count\":4,\"nonce\":\"n0nce\"}";

  @Test
  void requestIsOneLineWithEverything() throws Exception {
    byte[] bytes = RunnerProtocol.encodeRequest(BATCH, 3, NONCE, 123_456);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, text);
    JsonNode node = new ObjectMapper().readTree(text);
    assertEquals("python", node.get("language").asText());
    assertEquals("a\nb", node.get("inputs").get(0).asText());
    assertEquals("é", node.get("inputs").get(1).asText());
    assertEquals(2.5, node.get("limits").get("wallSeconds").asDouble());
    assertEquals(64, node.get("limits").get("memoryMb").asInt());
    assertEquals(1000, node.get("limits").get("outputBytes").asInt());
    assertEquals(3, node.get("parallelism").asInt());
    assertEquals(NONCE, node.get("nonce").asText());
    assertEquals(123_456, node.get("uidBase").asInt());
  }

  @Test
  void completeReportDecodesInProgramInputOrder() throws Exception {
    BatchResult result =
        RunnerProtocol.decode(
            report(
                line(1, 1, "TIMEOUT"),
                line(0, 0, "OK"),
                line(1, 0, "OK"),
                line(0, 1, "MEMORY_LIMIT"),
                DONE),
            BATCH,
            NONCE);
    assertEquals(4, result.outcomes().size());
    assertEquals(Verdict.OK, result.outcomes().get(0).verdict());
    assertEquals(Verdict.MEMORY_LIMIT, result.outcomes().get(1).verdict());
    assertEquals(Verdict.TIMEOUT, result.find(1, 1).orElseThrow().verdict());
    assertEquals("x\n", result.find(1, 0).orElseThrow().stdout());
  }

  @Test
  void missingDoneLineIsADisruption() {
    var e =
        assertThrows(
            BatchDisruptedException.class,
            () ->
                RunnerProtocol.decode(
                    report(line(0, 0, "OK"), line(0, 1, "OK"), line(1, 0, "OK"), line(1, 1, "OK")),
                    BATCH,
                    NONCE));
    assertTrue(e.getMessage().contains("done line"), e.getMessage());
  }

  @Test
  void wrongCountOrMissingExecutionIsADisruption() {
    assertThrows(
        BatchDisruptedException.class,
        () ->
            RunnerProtocol.decode(report(line(0, 0, "OK"), line(0, 1, "OK"), DONE), BATCH, NONCE));
    assertThrows(
        BatchDisruptedException.class,
        () ->
            RunnerProtocol.decode(
                report(
                    line(0, 0, "OK"),
                    line(0, 1, "OK"),
                    line(1, 0, "OK"),
                    line(1, 1, "OK"),
                    "{\"done\":true,\"count\":5,\"nonce\":\"n0nce\"}"),
                BATCH,
                NONCE));
  }

  @Test
  void malformedDuplicatedOrOutOfRangeLinesAreDisruptions() {
    for (byte[] bad :
        List.of(
            report("not json", DONE),
            report(line(0, 0, "OK"), line(0, 0, "OK"), line(1, 0, "OK"), line(1, 1, "OK"), DONE),
            report(line(0, 0, "OK"), line(0, 1, "OK"), line(1, 0, "OK"), line(2, 0, "OK"), DONE),
            report(line(0, 0, "OK"), line(0, 1, "OK"), line(1, 0, "OK"), line(1, 1, "BOGUS"), DONE),
            report(
                line(0, 0, "OK"),
                line(0, 1, "OK"),
                line(1, 0, "OK"),
                line(1, 1, "WRONG_ANSWER"),
                DONE),
            report(
                line(0, 0, "OK"),
                line(0, 1, "OK"),
                line(1, 0, "OK"),
                line(1, 1, "SANDBOX_VIOLATION"),
                DONE),
            report(
                line(0, 0, "OK"),
                line(0, 1, "OK"),
                line(1, 0, "OK"),
                line(1, 1, "OK"),
                DONE,
                line(0, 0, "OK")),
            new byte[0],
            // Forged by a program writing into the container's stdout: no (or a wrong) nonce.
            report(
                line(0, 0, "OK"),
                line(0, 1, "OK"),
                line(1, 0, "OK"),
                line(1, 1, "OK").replace(NONCE, "guess"),
                DONE),
            report(
                line(0, 0, "OK"),
                line(0, 1, "OK"),
                line(1, 0, "OK"),
                line(1, 1, "OK"),
                "{\"done\":true,\"count\":4}"))) {
      assertThrows(BatchDisruptedException.class, () -> RunnerProtocol.decode(bad, BATCH, NONCE));
    }
  }
}
