package dev.quarry.activities.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Quarry's own seccomp profile for sandbox containers (seccomp-profile.json next to this class;
 * docs/sandbox.md says what it denies and why). The engine takes a profile's JSON text, not a path,
 * over its API: {@code seccomp=<json>} as a security option.
 */
final class SeccompProfile {
  static final String RESOURCE = "seccomp-profile.json";
  private static final String JSON = load();
  private static final String GVISOR_JSON = withoutClone3(JSON);

  private SeccompProfile() {}

  /** The security option for a container of {@code runtime} (runc or runsc). */
  static String securityOpt(String runtime) {
    return "seccomp=" + (runtime.equals(SandboxSettings.RUNSC) ? GVISOR_JSON : JSON);
  }

  /**
   * gVisor's kernel does not fall back from clone3 to clone on the ENOSYS the profile returns (its
   * libc callers get the error and threads fail to start), and there clone3 cannot reach the host
   * kernel's namespaces anyway: its rule is left out for runsc.
   */
  private static String withoutClone3(String json) {
    try {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode profile = (ObjectNode) mapper.readTree(json);
      ArrayNode rules = (ArrayNode) profile.get("syscalls");
      for (int i = rules.size() - 1; i >= 0; i--) {
        if (rules.get(i).path("names").toString().equals("[\"clone3\"]")) {
          rules.remove(i);
        }
      }
      return mapper.writeValueAsString(profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String load() {
    try (InputStream in = SeccompProfile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the sandbox seccomp profile " + RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
