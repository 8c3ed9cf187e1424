package dev.quarry.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The HTTP side of Quarry's OpenAI-compatible servers (the embedded llama.cpp one and the scripted
 * one): reading a JSON request body, and answering with JSON or with an OpenAI-shaped error, so
 * clients see the same errors from both.
 */
final class OpenAiHttp {
  /** Trailing tokens after the JSON object are an error: a half-sent or concatenated body. */
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private OpenAiHttp() {}

  /**
   * The request's JSON body, or null after answering 413 (over {@code maxBytes}) or 400 (empty or
   * not JSON); the caller then has nothing more to send.
   */
  static JsonNode readJson(HttpExchange ex, int maxBytes) throws IOException {
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readNBytes(maxBytes + 1);
    }
    if (raw.length > maxBytes) {
      error(ex, 413, null, "the request body exceeds " + maxBytes + " bytes");
      return null;
    }
    if (raw.length == 0) {
      error(ex, 400, null, "the request body is empty; send a JSON object");
      return null;
    }
    try {
      return JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      error(ex, 400, null, "the request body is not valid JSON: " + e.getOriginalMessage());
      return null;
    } catch (IOException e) {
      error(ex, 400, null, "the request body is not valid JSON: " + e.getMessage());
      return null;
    }
  }

  /** An invalid_request_error, as OpenAI's API writes it: message, type, param (or null), code. */
  static void error(HttpExchange ex, int status, String param, String message) throws IOException {
    error(ex, status, "invalid_request_error", param, message);
  }

  static void error(HttpExchange ex, int status, String type, String param, String message)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode e = body.putObject("error");
    e.put("message", message);
    e.put("type", type);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    e.putNull("code");
    send(ex, status, body);
  }

  static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
