package dev.quarry.workers.temporal.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys payloads are encrypted with, by key id. The first key encrypts; every key
 * decrypts, so a key is rotated by putting a new one first and keeping the old ones behind it for
 * as long as histories written with them are read.
 *
 * <p>Text form (a file or an environment variable): entries {@code ID:BASE64} (32 random bytes,
 * e.g. {@code openssl rand -base64 32}) separated by whitespace or commas; {@code #} starts a
 * comment. The key material never leaves this class: {@link #toString()} shows ids only.
 */
public final class PayloadKeyRing {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String activeId;
  private final Map<String, SecretKey> keys;

  private PayloadKeyRing(String activeId, Map<String, SecretKey> keys) {
    this.activeId = activeId;
    this.keys = Collections.unmodifiableMap(keys);
  }

  /**
   * The key ring the settings name: {@code file} if set, else the value of the environment variable
   * {@code envName} if that is set and not blank, else none (payloads stay plain).
   */
  public static Optional<PayloadKeyRing> fromSettings(
      String file, String envName, Function<String, String> env) {
    if (file != null && !file.isBlank()) {
      Path path = Path.of(file);
      try {
        return Optional.of(
            parse(Files.readString(path, StandardCharsets.UTF_8), "payload key file " + path));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read the payload key file "
                + path
                + " (quarry.temporal.security.payload-keys-file,"
                + " QUARRY_PAYLOAD_KEYS_FILE): "
                + e.getMessage(),
            e);
      }
    }
    if (envName != null && !envName.isBlank()) {
      String value = env.apply(envName);
      if (value != null && !value.isBlank()) {
        return Optional.of(parse(value, "environment variable " + envName));
      }
    }
    return Optional.empty();
  }

  /**
   * @param source where the text came from, for error messages (never the text itself)
   */
  public static PayloadKeyRing parse(String text, String source) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    String activeId = null;
    for (String line : text.split("\n")) {
      int comment = line.indexOf('#');
      String content = comment >= 0 ? line.substring(0, comment) : line;
      for (String entry : content.split("[\\s,]+")) {
        if (entry.isEmpty()) {
          continue;
        }
        int colon = entry.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException(
              source + ": an entry is not ID:BASE64KEY (entry " + (keys.size() + 1) + ")");
        }
        String id = entry.substring(0, colon);
        if (!ID.matcher(id).matches()) {
          throw new IllegalArgumentException(
              source + ": key id '" + id + "' must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        byte[] material;
        try {
          material = Base64.getDecoder().decode(entry.substring(colon + 1));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source + ": key '" + id + "' is not valid base64");
        }
        if (material.length != 32) {
          throw new IllegalArgumentException(
              source
                  + ": key '"
                  + id
                  + "' has "
                  + material.length
                  + " bytes; AES-256 needs 32 (make one with `openssl rand -base64 32`)");
        }
        if (keys.put(id, new SecretKeySpec(material, "AES")) != null) {
          throw new IllegalArgumentException(source + ": key id '" + id + "' appears twice");
        }
        activeId = activeId == null ? id : activeId;
      }
    }
    if (activeId == null) {
      throw new IllegalArgumentException(
          source + ": no keys (expected entries ID:BASE64KEY, the first encrypts)");
    }
    return new PayloadKeyRing(activeId, keys);
  }

  /** The id of the key new payloads are encrypted with. */
  public String activeId() {
    return activeId;
  }

  SecretKey active() {
    return keys.get(activeId);
  }

  Optional<SecretKey> key(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  public Set<String> ids() {
    return keys.keySet();
  }

  @Override
  public String toString() {
    return "PayloadKeyRing" + keys.keySet() + " (encrypting with " + activeId + ")";
  }
}
