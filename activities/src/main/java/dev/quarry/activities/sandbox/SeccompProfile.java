package dev.quarry.activities.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Quarry's own seccomp profile for sandbox containers (seccomp-profile.json next to this class;
 * docs/sandbox.md says what it denies and why). The engine takes a profile's JSON text, not a
 * path, over its API: {@code seccomp=<json>} as a security option.
 */
final class SeccompProfile {
  static final String RESOURCE = "seccomp-profile.json";
  private static final String JSON = load();

  private SeccompProfile() {}

  static String securityOpt() {
    return "seccomp=" + JSON;
  }

  private static String load() {
    try (InputStream in = SeccompProfile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the sandbox seccomp profile " + RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
