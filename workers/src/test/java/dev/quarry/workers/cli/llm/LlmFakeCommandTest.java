package dev.quarry.workers.cli.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code quarry llm fake}'s options are checked before it listens. */
class LlmFakeCommandTest {
  @Test
  void negativeSlotsAreRefusedWithTheOptionNamed() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LlmFakeCommand());
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("--port", "0", "--slots", "-1"));
    assertTrue(err.toString().contains("--slots must be >= 0"), err.toString());
  }
}
