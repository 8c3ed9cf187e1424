package dev.quarry.llm;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The scalar key/values of a GGUF file's header (arrays such as the vocabulary are skipped).
 *
 * <p>Read in Java before the model is handed to llama.cpp, for two reasons: a file that is not a
 * GGUF fails here with a clear message instead of inside native code, and it tells what the JNI
 * binding does not expose, such as whether the tokenizer prepends BOS (needed for exact prompt
 * token counts) and the trained context length.
 */
public final class GgufMetadata {
  private static final int MAGIC = 0x46554747; // "GGUF" little-endian
  private static final long MAX_STRING = 16L << 20;

  private final int version;
  private final Map<String, Object> values;

  private GgufMetadata(int version, Map<String, Object> values) {
    this.version = version;
    this.values = Collections.unmodifiableMap(values);
  }

  public static GgufMetadata read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      int magic = Integer.reverseBytes(in.readInt());
      if (magic != MAGIC) {
        throw new IOException(file + " is not a GGUF file (bad magic)");
      }
      int version = Integer.reverseBytes(in.readInt());
      if (version < 2 || version > 3) {
        throw new IOException(file + " has unsupported GGUF version " + version);
      }
      Long.reverseBytes(in.readLong()); // tensor count
      long kvCount = Long.reverseBytes(in.readLong());
      if (kvCount < 0 || kvCount > 1_000_000) {
        throw new IOException(file + " has an implausible key/value count " + kvCount);
      }
      Map<String, Object> values = new HashMap<>();
      for (long i = 0; i < kvCount; i++) {
        String key = readString(in);
        int type = Integer.reverseBytes(in.readInt());
        Object value = readValue(in, type);
        if (value != null) {
          values.put(key, value);
        }
      }
      return new GgufMetadata(version, values);
    } catch (EOFException e) {
      throw new IOException(file + " is truncated: its GGUF header ends early", e);
    }
  }

  public int version() {
    return version;
  }

  /** All scalar values: strings, booleans, and numbers (as Long or Double). */
  public Map<String, Object> values() {
    return values;
  }

  public Optional<String> string(String key) {
    return values.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  public Optional<Long> integer(String key) {
    return values.get(key) instanceof Long l ? Optional.of(l) : Optional.empty();
  }

  public Optional<Boolean> bool(String key) {
    return values.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }

  public String architecture() {
    return string("general.architecture").orElse("unknown");
  }

  public Optional<String> name() {
    return string("general.name");
  }

  /** The context length the model was trained with, if the file says. */
  public Optional<Long> trainedContextLength() {
    return integer(architecture() + ".context_length");
  }

  public Optional<String> chatTemplate() {
    return string("tokenizer.chat_template");
  }

  /**
   * Whether llama.cpp prepends BOS when it tokenizes a prompt: the file's explicit flag, else
   * llama.cpp's default for the tokenizer type (SentencePiece "llama" yes, others no).
   */
  public boolean addsBos() {
    return bool("tokenizer.ggml.add_bos_token")
        .orElse("llama".equals(string("tokenizer.ggml.model").orElse("")));
  }

  private static Object readValue(DataInputStream in, int type) throws IOException {
    return switch (type) {
      case 0 -> (long) in.readUnsignedByte();
      case 1 -> (long) in.readByte();
      case 2 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
      case 3 -> (long) Short.reverseBytes(in.readShort());
      case 4 -> Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
      case 5 -> (long) Integer.reverseBytes(in.readInt());
      case 6 -> (double) Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
      case 7 -> in.readUnsignedByte() != 0;
      case 8 -> readString(in);
      case 9 -> {
        skipArray(in);
        yield null;
      }
      case 10, 11 -> Long.reverseBytes(in.readLong());
      case 12 -> Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
      default -> throw new IOException("unknown GGUF value type " + type);
    };
  }

  private static void skipArray(DataInputStream in) throws IOException {
    int type = Integer.reverseBytes(in.readInt());
    long count = Long.reverseBytes(in.readLong());
    if (count < 0) {
      throw new IOException("negative GGUF array length");
    }
    int size =
        switch (type) {
          case 0, 1, 7 -> 1;
          case 2, 3 -> 2;
          case 4, 5, 6 -> 4;
          case 10, 11, 12 -> 8;
          default -> -1;
        };
    if (size > 0) {
      skipFully(in, count * size);
      return;
    }
    for (long i = 0; i < count; i++) {
      if (type == 8) {
        skipFully(in, stringLength(in));
      } else if (type == 9) {
        skipArray(in);
      } else {
        throw new IOException("unknown GGUF array element type " + type);
      }
    }
  }

  private static String readString(DataInputStream in) throws IOException {
    long length = stringLength(in);
    byte[] bytes = in.readNBytes((int) length);
    if (bytes.length < length) {
      throw new EOFException();
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static long stringLength(DataInputStream in) throws IOException {
    long length = Long.reverseBytes(in.readLong());
    if (length < 0 || length > MAX_STRING) {
      throw new IOException("implausible GGUF string length " + length);
    }
    return length;
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException();
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
