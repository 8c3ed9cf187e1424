package dev.quarry.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the engine has gVisor registered as "runsc": the gVisor suites skip, saying why, when
 * not.
 */
final class Gvisor {
  private Gvisor() {}

  static SandboxSettings settingsOrSkip() {
    SandboxSettings settings = SandboxSettings.defaults().withRuntime(SandboxSettings.RUNSC);
    try (DockerClient client = DockerClients.connect(settings)) {
      Map<String, ?> runtimes = client.infoCmd().exec().getRuntimes();
      Assumptions.assumeTrue(
          runtimes != null && runtimes.containsKey(SandboxSettings.RUNSC),
          "gVisor (runsc) is not registered with this Docker engine: run scripts/ensure-gvisor.sh"
              + " (it says why when this machine cannot run it)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return settings;
  }
}
