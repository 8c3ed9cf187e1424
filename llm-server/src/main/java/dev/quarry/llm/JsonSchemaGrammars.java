package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.LlamaModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON schema to GBNF grammar, through llama.cpp's own converter, isolated in a child JVM.
 *
 * <p>{@code LlamaModel.jsonSchemaToGrammar} throws a C++ exception on schemas it does not support
 * (an unresolvable {@code $ref}, an unknown type, …) that nothing catches, so it kills the calling
 * process. A client's schema must never be able to take the server down, so each distinct schema is
 * converted once in a short-lived child process (a fraction of a second) and the grammar is cached;
 * a crash of the child becomes a 400 carrying the converter's message. The only schema converted
 * in-process is the fixed "any JSON object" one behind {@code response_format: json_object}.
 *
 * <p>Thread-safe: concurrent requests with the same new schema share one conversion (one child
 * process) instead of each starting their own; the in-process conversion runs once.
 */
final class JsonSchemaGrammars {
  private static final Logger log = LoggerFactory.getLogger(JsonSchemaGrammars.class);
  private static final String ANY_OBJECT_SCHEMA = "{\"type\":\"object\"}";
  private static final int CACHE_SIZE = 256;

  /** The schema cannot be turned into a grammar: the client's fault. */
  static final class UnsupportedSchemaException extends Exception {
    UnsupportedSchemaException(String message) {
      super(message);
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final Duration timeout;
  private final Map<String, String> cache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  /** Conversions in progress, by schema text. */
  private final Map<String, CompletableFuture<String>> converting = new ConcurrentHashMap<>();

  private volatile String anyObject;

  JsonSchemaGrammars(Duration timeout) {
    this.timeout = timeout;
  }

  /** Grammar for {@code response_format: {"type": "json_object"}}: any JSON object. */
  String anyJsonObject() {
    String g = anyObject;
    if (g == null) {
      synchronized (this) {
        g = anyObject;
        if (g == null) {
          // A fixed schema known to convert, so safe in-process.
          g = compactWhitespace(LlamaModel.jsonSchemaToGrammar(ANY_OBJECT_SCHEMA));
          anyObject = g;
        }
      }
    }
    return g;
  }

  /** Grammar for {@code schema}; the result is cached by the schema's text. */
  String grammarFor(JsonNode schema) throws UnsupportedSchemaException {
    if (schema == null || !(schema.isObject() || schema.isBoolean())) {
      throw new UnsupportedSchemaException("json_schema.schema must be a JSON object");
    }
    String text;
    try {
      text = json.writeValueAsString(schema);
    } catch (IOException e) {
      throw new UnsupportedSchemaException("json_schema.schema cannot be serialised");
    }
    String cached = cache.get(text);
    if (cached != null) {
      return cached;
    }
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> running = converting.putIfAbsent(text, mine);
    if (running != null) {
      return awaitOther(running);
    }
    try {
      cached = cache.get(text); // converted between the first look and the putIfAbsent
      String grammar = cached != null ? cached : compactWhitespace(convertInChild(text));
      cache.put(text, grammar);
      mine.complete(grammar);
      return grammar;
    } catch (UnsupportedSchemaException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      if (!mine.isDone()) { // an Error: never leave the requests waiting on us hanging
        mine.completeExceptionally(new IllegalStateException("the JSON schema conversion failed"));
      }
      converting.remove(text, mine);
    }
  }

  /** The result of a conversion another request started, with its failure as ours. */
  private static String awaitOther(CompletableFuture<String> running)
      throws UnsupportedSchemaException {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while converting a JSON schema", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnsupportedSchemaException u) {
        throw new UnsupportedSchemaException(u.getMessage());
      }
      if (cause instanceof RuntimeException r) {
        throw new IllegalStateException(r.getMessage(), r);
      }
      throw new IllegalStateException("JSON schema conversion failed", cause);
    }
  }

  /**
   * llama.cpp's converter lets whitespace be {@code "\n"{1,2} [ \t]{0,20}} between tokens and after
   * the closing brace. Measured with SmolLM2-135M, models fill that allowance after the last brace
   * with 20+ tokens of spaces and tabs before they may stop. Compact JSON (at most one space) is
   * still JSON, and costs no tokens to end.
   */
  static String compactWhitespace(String grammar) {
    return grammar.replaceAll("(?m)^space ::= .*$", "space ::= | \" \"");
  }

  private String convertInChild(String schema) throws UnsupportedSchemaException {
    Path work = null;
    try {
      work = Files.createTempDirectory("quarry-schema-");
      Path out = work.resolve("grammar.gbnf");
      Path err = work.resolve("stderr.txt");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx64m");
      cmd.add("-XX:TieredStopAtLevel=1");
      cmd.add("-XX:-CreateCoredumpOnCrash");
      cmd.add("-Djava.io.tmpdir=" + work);
      cmd.add("-D" + LlamaNative.TMPDIR_PROPERTY + "=" + work);
      Path lib = LlamaNative.loadedLibraryDir();
      if (lib != null) {
        cmd.add("-D" + LlamaNative.LIB_PATH_PROPERTY + "=" + lib);
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(SchemaToGrammarMain.class.getName());
      cmd.add(out.toString());
      Process p =
          new ProcessBuilder(cmd)
              .directory(work.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile())
              .start();
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(schema.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("the JSON schema converter did not finish in " + timeout);
      }
      if (p.exitValue() == 0 && Files.isRegularFile(out)) {
        return Files.readString(out, StandardCharsets.UTF_8);
      }
      String reason = converterMessage(Files.readString(err, StandardCharsets.UTF_8));
      log.debug("schema conversion failed (exit {}): {}", p.exitValue(), reason);
      throw new UnsupportedSchemaException("unsupported JSON schema: " + reason);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the JSON schema converter: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while converting a JSON schema", e);
    } finally {
      deleteQuietly(work);
    }
  }

  /** The lines after {@code what():}, which carry llama.cpp's reason. */
  static String converterMessage(String stderr) {
    int at = stderr.indexOf("what():");
    String tail = at >= 0 ? stderr.substring(at + "what():".length()) : stderr;
    String msg = tail.replaceAll("\\s+", " ").trim();
    if (msg.isEmpty()) {
      return "the converter failed without a message";
    }
    return msg.length() > 400 ? msg.substring(0, 400) + "…" : msg;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
