package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsFailureTest {
  private static String explained(Map<String, Object> properties) {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> {
              try (ApplicationContext context = ApplicationContext.run(properties)) {
                context.getBean(QuarrySettings.class);
              }
            });
    return SettingsFailure.explain(new IllegalStateException("picocli's wrapper", e)).orElseThrow();
  }

  @Test
  void aConstraintIsSaidInOneLine() {
    assertEquals(
        "invalid worker settings (application.yml or their QUARRY_* environment variables, see"
            + " docs/configuration.md):\n  - LlmSettings.port - must be less than or equal to 65535",
        explained(Map.of("quarry.llm.port", 70000)));
  }

  @Test
  void anUnknownChoiceNamesThePropertyAndTheChoices() {
    String text = explained(Map.of("quarry.sandbox.mode", "podman"));
    assertEquals(2, text.lines().count(), text);
    assertEquals(
        "  - Error resolving property value [quarry.sandbox.mode]. Unable to convert value [podman] to"
            + " target type [SandboxMode] due to: 'podman' is not one of docker, scripted",
        text.lines().toList().get(1));
  }

  @Test
  void otherFailuresAreLeftAlone() {
    assertEquals(Optional.empty(), SettingsFailure.explain(new IllegalStateException("boom")));
  }
}
