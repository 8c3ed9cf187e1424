package dev.quarry.llm;

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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GGUF model loaded through java-llama.cpp, generating for up to {@link Options#slots()}
 * requests at once.
 *
 * <p>Slots: the binding runs llama.cpp's server loop on a native thread; with {@code slots} > 1 it
 * is loaded with that many parallel slots ({@code --parallel}) and continuous batching, so the
 * sequences of concurrent requests are decoded together in one batch per step. llama.cpp divides
 * the context among the slots, so the model is loaded with {@code slots x contextSize} tokens of
 * context and each slot keeps {@link #contextSize()}. A fair semaphore with one permit per slot
 * admits generations; a request holds its permit for all its {@code n} samples, which run back to
 * back in one slot. No more requests than slots reach the native queue; the others wait here, in
 * arrival order.
 *
 * <p>Why one model with slots and not one model per slot: two {@code LlamaModel}s in one process
 * must not generate at the same time with java-llama.cpp 4.2.0. Measured with the tiny test model,
 * two models used from two threads at once gave a different (wrong) text for about 5% of requests,
 * and none when the same calls took turns. The likely cause: the bundled llama.cpp hands out
 * matrix-multiplication tiles through a process-wide counter (a function-local {@code static}
 * {@code current_chunk} in llamafile's tinyBLAS {@code gemm}, visible in libjllama.so's symbols),
 * so two contexts computing at once skip each other's tiles. Several slots of one model share one
 * context, which computes one batch at a time, and are not affected.
 *
 * <p>Reproducibility: with one slot, a seed always gives the same text. With several slots, a
 * request decoded in the same batch as others can come out differently from the same request alone
 * (seeded sampling is per slot, but batched matrix products and attention over a shared KV cache
 * round differently). Measured with SmolLM2-135M: 12 requests at a time on 2 slots at temperature
 * 0.9, 43 of 48 texts differed from their one-slot texts (typically after a few dozen tokens); at
 * temperature 0, 2 of 8 diverged late. With the tiny test model they always matched. Callers that
 * need the same text for the same seed under concurrency must use one slot.
 *
 * <p>Thread-safety of the rest: template application and tokenization called from here run under
 * their own fair lock, one at a time, but may overlap generations, as in llama.cpp's own server,
 * which tokenizes and applies templates on its HTTP threads while its loop decodes. (The binding
 * itself tokenizes each prompt on the calling thread, so with several slots prompts are tokenized
 * concurrently, again as in llama.cpp's server.) Stress-tested on the tiny model through the HTTP
 * server: 2,400 chat requests, 12 at a time, on 2 and 3 slots, with JSON schemas, {@code n = 2} and
 * non-BMP text: no crash, and every text equal to its one-slot counterpart.
 *
 * <p>Native pitfalls handled here: template input must be complete JSON messages with content (else
 * the process aborts); {@code applyTemplate} returns its text through JNI modified UTF-8, which
 * garbles characters outside the BMP and cuts at NUL, so those are swapped for placeholders around
 * the call; the prompt cache is off so that one seed always gives one text.
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
   * @param slots generations run at once, 1 to {@value #MAX_SLOTS}; each slot has {@code
   *     contextSize} tokens of context (KV cache memory grows with slots x context). Above 1, seeds
   *     are reproducible only for a request decoded alone (see the class comment)
   */
  public record Options(
      Path model, String modelId, int contextSize, int threads, boolean nativeLogs, int slots) {
    public static final int MAX_SLOTS = 64;

    public Options {
      Objects.requireNonNull(model, "model");
      if (contextSize < 0 || threads < 0) {
        throw new IllegalArgumentException("contextSize and threads must be >= 0");
      }
      if (slots < 1 || slots > MAX_SLOTS) {
        throw new IllegalArgumentException("slots must be 1 to " + MAX_SLOTS + ", got " + slots);
      }
    }

    /** One slot. */
    public Options(Path model, String modelId, int contextSize, int threads, boolean nativeLogs) {
      this(model, modelId, contextSize, threads, nativeLogs, 1);
    }

    public static Options of(Path model) {
      return new Options(model, null, 0, 0, false, 1);
    }

    public Options withSlots(int n) {
      return new Options(model, modelId, contextSize, threads, nativeLogs, n);
    }
  }

  /** Sampling settings for one generation; nullable fields take llama.cpp's defaults. */
  public record Sampling(
      int maxTokens,
      int seed,
      Float temperature,
      Float topP,
      Integer topK,
      Float minP,
      List<String> stop,
      String grammar) {}

  /** One generated text and what it cost. */
  public record Generation(String text, int completionTokens, boolean hitLimit) {}

  private final LlamaModel model;
  private final GgufMetadata metadata;
  private final String modelId;
  private final int contextSize;
  private final int slots;
  private final long createdEpochSeconds;

  /** One permit per native slot: generations in flight. Fair: requests are served in order. */
  private final Semaphore generationPermits;

  /** Template application and tokenization, one at a time. */
  private final ReentrantLock textLock = new ReentrantLock(true);

  private final AtomicInteger generating = new AtomicInteger();
  private final AtomicInteger peakGenerating = new AtomicInteger();
  private final ObjectMapper json = new ObjectMapper();
  private volatile boolean closed;

  private LlamaEngine(
      LlamaModel model,
      GgufMetadata metadata,
      String modelId,
      int contextSize,
      int slots,
      long created) {
    this.model = model;
    this.metadata = metadata;
    this.modelId = modelId;
    this.contextSize = contextSize;
    this.slots = slots;
    this.generationPermits = new Semaphore(slots, true);
    this.createdEpochSeconds = created;
  }

  /** Loads the model; fails with a readable message on a missing or non-GGUF file. */
  public static LlamaEngine load(Options options) throws IOException {
    Path file = options.model().toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IOException("model file not found: " + file);
    }
    GgufMetadata meta = GgufMetadata.read(file);
    int trained =
        (int)
            Math.min(
                Integer.MAX_VALUE, meta.trainedContextLength().orElse((long) DEFAULT_MAX_CONTEXT));
    int ctx =
        options.contextSize() > 0 ? options.contextSize() : Math.min(trained, DEFAULT_MAX_CONTEXT);
    int slots = options.slots();
    // llama.cpp gives each of n_parallel slots n_ctx / n_parallel tokens (after padding n_ctx up to
    // a multiple of 256, so never fewer than asked): load slots x ctx for ctx per slot.
    long totalCtx = (long) ctx * slots;
    if (totalCtx > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "context " + ctx + " x " + slots + " slots exceeds " + Integer.MAX_VALUE + " tokens");
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    int threads = options.threads() > 0 ? options.threads() : defaultThreads(cpus);
    // Prompt processing multiplies whole matrices and scales with cores; token-by-token decoding
    // of a small model is dominated by thread synchronisation, hence fewer threads there. With
    // several slots busy, every decoding step is a batch too and runs on the batch threads.
    // Measured on 2 vCPUs, 4 concurrent 64-token chat requests over HTTP, 2 slots vs 1:
    // SmolLM2-135M
    // 1.12-1.18x the tokens/s with these defaults (2 batch threads), 0.98x with --threads 1; the
    // tiny test model 0.1x with these defaults (its steps take microseconds, so the batch threads'
    // synchronisation dominates), 1.18x with --threads 1.
    int batchThreads = options.threads() > 0 ? options.threads() : cpus;
    String id =
        options.modelId() != null && !options.modelId().isBlank()
            ? options.modelId()
            : file.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");

    LlamaNative.prepare();
    ModelParameters params =
        new ModelParameters()
            .setModel(file.toString())
            .setCtxSize((int) totalCtx)
            .setThreads(threads)
            .setThreadsBatch(batchThreads)
            .setParallel(slots);
    if (!options.nativeLogs()) {
      params.disableLog();
    }
    long start = System.nanoTime();
    LlamaModel model = new LlamaModel(params);
    log.info(
        "loaded {} ({}, ctx {} x {} slot{}, {} threads, {} for prompts) in {} ms",
        file,
        meta.architecture(),
        ctx,
        slots,
        slots == 1 ? "" : "s",
        threads,
        batchThreads,
        (System.nanoTime() - start) / 1_000_000);
    return new LlamaEngine(
        model, meta, id, ctx, slots, Files.getLastModifiedTime(file).toMillis() / 1000);
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

  /** Tokens of context of each slot. */
  public int contextSize() {
    return contextSize;
  }

  /** Generations that can run at once. */
  public int slots() {
    return slots;
  }

  /** The most generations that were ever in flight at the same time. */
  int peakConcurrentGenerations() {
    return peakGenerating.get();
  }

  public GgufMetadata metadata() {
    return metadata;
  }

  long createdEpochSeconds() {
    return createdEpochSeconds;
  }

  /**
   * The model's chat template applied to {@code messages} (role, content), ready for generation.
   */
  public String applyChatTemplate(List<Map.Entry<String, String>> messages) {
    Placeholders ph = new Placeholders(messages.stream().map(Map.Entry::getValue).toList());
    ObjectNode body = json.createObjectNode();
    ArrayNode arr = body.putArray("messages");
    for (Map.Entry<String, String> m : messages) {
      arr.addObject().put("role", m.getKey()).put("content", ph.hide(m.getValue()));
    }
    String prompt = withText(() -> model.applyTemplate(body.toString()));
    return ph.restore(prompt);
  }

  /** Tokens llama.cpp will evaluate for {@code prompt}, BOS included. */
  int promptTokens(String prompt) {
    return withText(() -> model.encode(prompt).length) + (metadata.addsBos() ? 1 : 0);
  }

  /** Tokens of a generated text, as the model's tokenizer splits it. */
  int tokens(String text) {
    return text.isEmpty() ? 0 : withText(() -> model.encode(text).length);
  }

  /**
   * {@code n} generations of {@code prompt}, with seeds {@code seed, seed+1, …}, back to back in
   * one slot; waits (in arrival order) while all slots are busy.
   */
  public List<Generation> generate(String prompt, Sampling sampling, int n) {
    return inSlot(
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
            int used = tokens(text);
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
  public static int seedFor(long seed, int i) {
    return (int) Math.floorMod(seed + i, (long) Integer.MAX_VALUE);
  }

  private <T> T withText(Supplier<T> action) {
    textLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      return action.get();
    } finally {
      textLock.unlock();
    }
  }

  private <T> T inSlot(Supplier<T> action) {
    // Uninterruptible like the lock it replaces: an HTTP thread is not interrupted to give up.
    generationPermits.acquireUninterruptibly();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      peakGenerating.accumulateAndGet(generating.incrementAndGet(), Math::max);
      try {
        return action.get();
      } finally {
        generating.decrementAndGet();
      }
    } finally {
      generationPermits.release();
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Frees the model once the generations in progress, if any, have finished (waiting up to a
   * minute; past that the native memory is left to the exiting process rather than freed under a
   * running generation). Requests still queued then fail with {@link IllegalStateException}.
   */
  @Override
  public void close() {
    boolean allSlots = false;
    boolean text = false;
    try {
      // Fair: requests arriving from now on queue behind this and then find the model closed.
      allSlots = generationPermits.tryAcquire(slots, 60, TimeUnit.SECONDS);
      text = allSlots && textLock.tryLock(60, TimeUnit.SECONDS);
      if (!text) {
        log.warn("a generation is still running; not freeing the model");
        closed = true;
        return;
      }
      if (!closed) {
        closed = true;
        model.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      if (text) {
        textLock.unlock();
      }
      if (allSlots) {
        generationPermits.release(slots);
      }
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
          out.append(
              forward.computeIfAbsent(text.substring(i, i + len), this::allocate).charValue());
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
