package dev.quarry.workers.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser (headless Chromium, installed by scripts/ensure-chromium.sh): it
 * renders, every chart is laid out with a size, and the console shows no error.
 */
class RunReportChromiumTest {
  @TempDir Path temp;

  static String chromium() {
    String configured = System.getenv("QUARRY_CHROMIUM");
    for (String candidate :
        configured != null
            ? List.of(configured)
            : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return fail(
        "headless Chromium not found: run scripts/ensure-chromium.sh (or set QUARRY_CHROMIUM)");
  }

  @Test
  void theReportRendersItsChartsWithoutConsoleErrors() throws Exception {
    Path page = temp.resolve("report.html");
    Files.writeString(page, RunReport.html("r1", "completed", RunReportTest.sampleRun(temp)));
    Path screenshot = temp.resolve("report.png");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + temp.resolve("profile"),
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1200,2400",
                "--virtual-time-budget=3000",
                "--dump-dom",
                page.toUri().toString()));
    Process browser =
        new ProcessBuilder(command)
            .redirectOutput(temp.resolve("dom.html").toFile())
            .redirectError(temp.resolve("console.log").toFile())
            .start();
    assertTrue(browser.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
    String dom = Files.readString(temp.resolve("dom.html"));
    String console = Files.readString(temp.resolve("console.log"));
    assertEquals(0, browser.exitValue(), console);
    Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(dom);
    assertTrue(
        charts.find(),
        "the page's script did not run: " + dom.substring(0, Math.min(500, dom.length())));
    assertEquals(7, Integer.parseInt(charts.group(1)), "charts laid out with a size");
    for (String line : console.split("\n")) {
      boolean consoleMessage = line.contains(":CONSOLE") || line.contains("Uncaught");
      assertTrue(!consoleMessage, "console message: " + line);
    }
    // A screenshot for people reviewing the report by eye (target/… of the test's temp dir).
    new ProcessBuilder(
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--user-data-dir=" + temp.resolve("profile2"),
            "--window-size=1200,2400",
            "--screenshot=" + screenshot,
            page.toUri().toString())
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("shot.log").toFile())
        .start()
        .waitFor(90, TimeUnit.SECONDS);
    assertTrue(Files.size(screenshot) > 10_000, "screenshot is blank");
    Files.copy(
        screenshot,
        Path.of("target", "report-screenshot.png"),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
