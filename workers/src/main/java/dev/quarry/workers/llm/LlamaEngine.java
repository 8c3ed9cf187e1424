package dev.quarry.workers.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GGUF model loaded through java-llama.cpp, used by one request at a time.
 *
 * <p>Thread-safety: the binding runs llama.cpp's server loop on a native thread with a single slot
 * and queues requests itself, but it documents no thread-safety and a sequence of {@code n}
 * seeded samples must not interleave with another request's, so every model call here holds one
 * fair lock. Several requests therefore queue; throughput is that of one generation at a time.
 *
 * <p>Native pitfalls handled here: template input must be complete JSON messages with content
 * (else the process aborts); {@code applyTemplate} returns its text through JNI modified UTF-8,
 * which garbles characters outside the BMP and cuts at NUL, so those are swapped for placeholders
 * around the call; the prompt cache is off so that one seed always gives one text.
 */
public final class LlamaEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LlamaEngine.class);
  static final int DEFAULT_MAX_CONTEXT = 4096;

  /**
   * How to load a model.
   *
   * @param model the .gguf file
   * @param modelId the name served in {@code /v1/models} and responses; null = file name without
   *     {@code .gguf}
   * @param contextSize tokens of context; 0 = the model's trained length, at most {@value
   *     #DEFAULT_MAX_CONTEXT}
   * @param threads CPU threads; 0 = {@link #defaultThreads} for decoding and all processors for
   *     prompt processing
   * @param nativeLogs let llama.cpp print its own logs to stdout/stderr
   */
  public record Options(Path model, String modelId, int contextSize, int threads, boolean nativeLogs) {
    public Options {
      Objects.requireNonNull(model, "model");
      if (contextSize < 0 || threads < 0) {
        throw new IllegalArgumentException("contextSize and threads must be >= 0");
      }
    }

    public static Options of(Path model) {
      return new Options(model, null, 0, 0, false);
    }
  }

  /** Sampling settings for one generation; nullable fields take llama.cpp's defaults. */
  record Sampling(
      int maxTokens,
      int seed,
      Float temperature,
      Float topP,
      Integer topK,
      Float minP,
      List<String> stop,
      String grammar) {}

  /** One generated text and what it cost. */
  record Generation(String text, int completionTokens, boolean hitLimit) {}

  private final LlamaModel model;
  private final GgufMetadata metadata;
  private final String modelId;
  private final int contextSize;
  private final long createdEpochSeconds;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final ObjectMapper json = new ObjectMapper();
  private volatile boolean closed;

  private LlamaEngine(LlamaModel model, GgufMetadata metadata, String modelId, int contextSize, long created) {
    this.model = model;
    this.metadata = metadata;
    this.modelId = modelId;
    this.contextSize = contextSize;
    this.createdEpochSeconds = created;
  }

  /** Loads the model; fails with a readable message on a missing or non-GGUF file. */
  public static LlamaEngine load(Options options) throws IOException {
    Path file = options.model().toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IOException("model file not found: " + file);
    }
    GgufMetadata meta = GgufMetadata.read(file);
    int trained = (int) Math.min(Integer.MAX_VALUE, meta.trainedContextLength().orElse((long) DEFAULT_MAX_CONTEXT));
    int ctx = options.contextSize() > 0 ? options.contextSize() : Math.min(trained, DEFAULT_MAX_CONTEXT);
    int cpus = Runtime.getRuntime().availableProcessors();
    int threads = options.threads() > 0 ? options.threads() : defaultThreads(cpus);
    // Prompt processing multiplies whole matrices and scales with cores; token-by-token decoding
    // of a small model is dominated by thread synchronisation, hence fewer threads there.
    int batchThreads = options.threads() > 0 ? options.threads() : cpus;
    String id = options.modelId() != null && !options.modelId().isBlank()
        ? options.modelId()
        : file.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");

    LlamaNative.prepare();
    ModelParameters params =
        new ModelParameters()
            .setModel(file.toString())
            .setCtxSize(ctx)
            .setThreads(threads)
            .setThreadsBatch(batchThreads)
            .setParallel(1);
    if (!options.nativeLogs()) {
      params.disableLog();
    }
    long start = System.nanoTime();
    LlamaModel model = new LlamaModel(params);
    log.info(
        "loaded {} ({}, ctx {}, {} threads, {} for prompts) in {} ms",
        file, meta.architecture(), ctx, threads, batchThreads, (System.nanoTime() - start) / 1_000_000);
    return new LlamaEngine(model, meta, id, ctx, Files.getLastModifiedTime(file).toMillis() / 1000);
  }

  /**
   * Decoding threads when not configured: half the processors, 1 to 4. Measured with SmolLM2-135M
   * on a 2-vCPU VM: 55 tokens/s with 1 thread, 24 with 2 (OpenMP barriers dominate small matrices).
   */
  static int defaultThreads(int cpus) {
    return Math.max(1, Math.min(4, cpus / 2));
  }

  public String modelId() {
    return modelId;
  }

  public int contextSize() {
    return contextSize;
  }

  public GgufMetadata metadata() {
    return metadata;
  }

  long createdEpochSeconds() {
    return createdEpochSeconds;
  }

  /** The model's chat template applied to {@code messages} (role, content), ready for generation. */
  String applyChatTemplate(List<Map.Entry<String, String>> messages) {
    Placeholders ph = new Placeholders(messages.stream().map(Map.Entry::getValue).toList());
    ObjectNode body = json.createObjectNode();
    ArrayNode arr = body.putArray("messages");
    for (Map.Entry<String, String> m : messages) {
      arr.addObject().put("role", m.getKey()).put("content", ph.hide(m.getValue()));
    }
    String prompt = locked(() -> model.applyTemplate(body.toString()));
    return ph.restore(prompt);
  }

  /** Tokens llama.cpp will evaluate for {@code prompt}, BOS included. */
  int promptTokens(String prompt) {
    return locked(() -> model.encode(prompt).length) + (metadata.addsBos() ? 1 : 0);
  }

  /** Tokens of a generated text, as the model's tokenizer splits it. */
  int tokens(String text) {
    return text.isEmpty() ? 0 : locked(() -> model.encode(text).length);
  }

  /** {@code n} generations of {@code prompt}, with seeds {@code seed, seed+1, …}, back to back. */
  List<Generation> generate(String prompt, Sampling sampling, int n) {
    return locked(
        () -> {
          List<Generation> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            InferenceParameters p =
                new InferenceParameters(prompt)
                    .setNPredict(sampling.maxTokens())
                    .setSeed(seedFor(sampling.seed(), i))
                    .setCachePrompt(false);
            if (sampling.temperature() != null) {
              p.setTemperature(sampling.temperature());
            }
            if (sampling.topP() != null) {
              p.setTopP(sampling.topP());
            }
            if (sampling.topK() != null) {
              p.setTopK(sampling.topK());
            }
            if (sampling.minP() != null) {
              p.setMinP(sampling.minP());
            }
            if (!sampling.stop().isEmpty()) {
              p.setStopStrings(sampling.stop().toArray(String[]::new));
            }
            if (sampling.grammar() != null) {
              p.setGrammar(sampling.grammar());
            }
            String text = model.complete(p);
            int used = text.isEmpty() ? 0 : model.encode(text).length;
            // Re-tokenising can split differently from sampling (e.g. bytes of broken UTF-8), but
            // llama.cpp never samples more than n_predict tokens.
            int tokens = Math.min(used, sampling.maxTokens());
            out.add(new Generation(text, tokens, used >= sampling.maxTokens()));
          }
          return out;
        });
  }

  /**
   * Non-negative and below 2^31 - 1, so it never becomes llama.cpp's "random seed" value
   * (0xFFFFFFFF) and {@code seed + i} stays deterministic for every request seed.
   */
  static int seedFor(long seed, int i) {
    return (int) Math.floorMod(seed + i, (long) Integer.MAX_VALUE);
  }

  private <T> T locked(java.util.function.Supplier<T> action) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Frees the model once the generation in progress, if any, has finished (waiting up to a minute;
   * past that the native memory is left to the exiting process rather than freed under a running
   * generation).
   */
  @Override
  public void close() {
    try {
      if (!lock.tryLock(60, TimeUnit.SECONDS)) {
        log.warn("a generation is still running; not freeing the model");
        closed = true;
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      return;
    }
    try {
      if (!closed) {
        closed = true;
        model.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Swaps characters that JNI's modified UTF-8 cannot return intact (supplementary code points and
   * NUL) for private-use characters that occur in none of the texts, and back.
   */
  static final class Placeholders {
    private static final char FIRST = '\uE000';
    private static final char LAST = '\uF8FF';

    private final BitSet used = new BitSet();
    private final Map<String, Character> forward = new HashMap<>();
    private final Map<Character, String> back = new HashMap<>();
    private char next = FIRST;

    /** {@code texts}: everything that will pass through {@link #hide} and {@link #restore}. */
    Placeholders(Collection<String> texts) {
      for (String t : texts) {
        for (int i = 0; i < t.length(); i++) {
          char c = t.charAt(i);
          if (c >= FIRST && c <= LAST) {
            used.set(c - FIRST);
          }
        }
      }
    }

    String hide(String text) {
      StringBuilder out = null;
      for (int i = 0; i < text.length(); ) {
        int cp = text.codePointAt(i);
        int len = Character.charCount(cp);
        if (cp == 0 || len == 2) {
          if (out == null) {
            out = new StringBuilder(text.length()).append(text, 0, i);
          }
          out.append(forward.computeIfAbsent(text.substring(i, i + len), this::allocate).charValue());
        } else if (out != null) {
          out.append(text, i, i + len);
        }
        i += len;
      }
      return out == null ? text : out.toString();
    }

    private Character allocate(String original) {
      while (next <= LAST && used.get(next - FIRST)) {
        next++;
      }
      if (next > LAST) {
        throw new IllegalArgumentException("too many distinct non-BMP characters in one request");
      }
      char c = next++;
      back.put(c, original);
      return c;
    }

    String restore(String text) {
      if (back.isEmpty()) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length() + 16);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        String original = back.get(c);
        if (original != null) {
          out.append(original);
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
