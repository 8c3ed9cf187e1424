package dev.quarry.workers.cli.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.llm.EmbeddedLlmServerTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code quarry llm serve}: its options and its life as a process (the server itself: llm-server).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LlmServeCommandTest {
  private static final Pattern SERVING = Pattern.compile("serving \\S+ at (http://\\S+)/v1");

  private final OkHttpClient http =
      new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).build();

  private static Path tinyModel() {
    return EmbeddedLlmServerTest.tinyModel();
  }

  @Test
  void serveCommandRunsUntilSigtermAndShutsDownCleanly() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ServeMain.class.getName(),
                "--model",
                tinyModel().toString(),
                "--port",
                "0",
                "--threads",
                "1")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder log = new StringBuilder();
      String url = null;
      for (String line; url == null && (line = out.readLine()) != null; ) {
        log.append(line).append('\n');
        Matcher m = SERVING.matcher(line);
        if (m.find()) {
          url = m.group(1);
        }
      }
      assertTrue(url != null, "the command never said where it serves:\n" + log);
      try (Response r =
          http.newCall(new Request.Builder().url(url + "/health").build()).execute()) {
        assertEquals(200, r.code());
      }

      p.toHandle().destroy(); // SIGTERM, leaving our end of its output open
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server did not stop after SIGTERM");
      for (String line; (line = out.readLine()) != null; ) {
        log.append(line).append('\n');
      }
      assertTrue(log.toString().contains("stopped serving tiny-test"), log.toString());
      assertEquals(143, p.exitValue(), "128 + SIGTERM after the shutdown hook ran");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void serveCommandFailsCleanlyOnAMissingModel() {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new LlmServeCommand());
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("--model", "/nonexistent/model.gguf", "--port", "0");
    assertEquals(1, code);
    assertTrue(err.toString().contains("model file not found"), err.toString());
  }

  /**
   * Runs {@code serve} as a plain picocli command in a child JVM, as {@code quarry llm serve} does.
   */
  public static final class ServeMain {
    private ServeMain() {}

    public static void main(String[] args) {
      System.exit(new CommandLine(new LlmServeCommand()).execute(args));
    }
  }

  @Test
  void serveRejectsASlotCountOutOfRange() {
    for (String slots : List.of("0", "65")) {
      StringWriter err = new StringWriter();
      CommandLine cmd = new CommandLine(new LlmServeCommand());
      cmd.setErr(new PrintWriter(err));
      int code = cmd.execute("--model", tinyModel().toString(), "--port", "0", "--slots", slots);
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("--slots must be 1-64"), err.toString());
    }
  }
}
