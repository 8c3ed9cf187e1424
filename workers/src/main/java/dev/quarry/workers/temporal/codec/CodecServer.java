package dev.quarry.workers.temporal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.activities.store.Json;
import dev.quarry.llm.http.HttpServers;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * A Temporal codec server: {@code POST /encode} and {@code POST /decode} take and return {@code
 * {"payloads": [...]}} (payloads in protobuf JSON, bytes as base64), so the Temporal web UI and CLI
 * can show the payloads of encrypted histories to whoever can reach this server. It answers
 * browsers only for the configured web UI origins (CORS), and, when a token is set, only requests
 * that carry {@code Authorization: Bearer <token>}.
 */
public final class CodecServer implements AutoCloseable {
  private final PayloadCodec codec;
  private final Set<String> allowedOrigins;
  private final Optional<byte[]> token;
  private HttpServer server;

  /**
   * @param allowedOrigins web UI origins such as {@code http://localhost:8233}; {@code *} allows
   *     any
   * @param token the bearer token requests must carry, or empty for none
   */
  public CodecServer(PayloadCodec codec, Set<String> allowedOrigins, Optional<String> token) {
    this.codec = codec;
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.token = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
  }

  /** Serves on {@code host:port} (port 0: any free port). */
  public CodecServer start(String host, int port) throws IOException {
    server = HttpServers.bind(host, port, 32);
    server.createContext("/encode", exchange -> handle(exchange, PayloadCodec::encode));
    server.createContext("/decode", exchange -> handle(exchange, PayloadCodec::decode));
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "quarry-codec-server");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(
      HttpExchange exchange, BiFunction<PayloadCodec, List<Payload>, List<Payload>> operation)
      throws IOException {
    try (exchange) {
      cors(exchange);
      String method = exchange.getRequestMethod();
      if ("OPTIONS".equals(method)) {
        // A browser's preflight carries no credentials: answer it with the CORS headers alone.
        reply(exchange, 204, null);
        return;
      }
      if (!"POST".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "POST, OPTIONS");
        reply(exchange, 405, error("use POST"));
        return;
      }
      if (token.isPresent() && !authorized(exchange)) {
        reply(exchange, 401, error("missing or wrong Authorization header"));
        return;
      }
      Payloads.Builder request = Payloads.newBuilder();
      try {
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                request);
      } catch (InvalidProtocolBufferException e) {
        reply(
            exchange,
            400,
            error("the body must be {\"payloads\": [...]} in protobuf JSON: " + e.getMessage()));
        return;
      }
      List<Payload> result;
      try {
        result = operation.apply(codec, request.getPayloadsList());
      } catch (RuntimeException e) {
        reply(exchange, 400, error(e.getMessage()));
        return;
      }
      reply(
          exchange, 200, JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(result)));
    }
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null
        && MessageDigest.isEqual(token.get(), header.getBytes(StandardCharsets.UTF_8));
  }

  private void cors(HttpExchange exchange) {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin == null || !(allowedOrigins.contains(origin) || allowedOrigins.contains("*"))) {
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Vary", "Origin");
    headers.set("Access-Control-Allow-Methods", "POST, OPTIONS");
    headers.set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization");
    headers.set("Access-Control-Allow-Credentials", "true");
    headers.set("Access-Control-Max-Age", "600");
  }

  private static String error(String message) {
    try {
      return Json.MAPPER.writeValueAsString(
          Map.of("error", message == null ? "codec failure" : message));
    } catch (JsonProcessingException e) {
      return "{\"error\": \"codec failure\"}";
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
