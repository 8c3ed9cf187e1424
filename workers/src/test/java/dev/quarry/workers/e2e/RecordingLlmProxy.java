package dev.quarry.workers.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.activities.store.Json;
import dev.quarry.llm.http.HttpServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint in front of the scripted fake: records the Authorization header of every
 * request, counts requests in flight, and answers chat requests for model {@link #SLEEPER} itself
 * with programs that sleep (a sandbox batch that runs until it is cancelled).
 */
final class RecordingLlmProxy implements AutoCloseable {
  static final String SLEEPER = "sleeper";
  static final String SLEEPING_PROGRAM = "```python\nimport time\ntime.sleep(110)\nprint(1)\n```";

  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final Set<String> paths = ConcurrentHashMap.newKeySet();
  final AtomicInteger inFlight = new AtomicInteger();
  private final String upstream;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  RecordingLlmProxy(String upstreamBaseUrl) throws IOException {
    this.upstream = upstreamBaseUrl;
    server = HttpServers.bind("127.0.0.1", 0, 64);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "recording-proxy");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange ex) throws IOException {
    inFlight.incrementAndGet();
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      String path = ex.getRequestURI().getPath();
      paths.add(path);
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.endsWith("/chat/completions") && body.length > 0) {
        JsonNode request = Json.MAPPER.readTree(body);
        if (SLEEPER.equals(request.path("model").asText())) {
          send(ex, 200, sleepingReply(request.path("n").asInt(1)));
          return;
        }
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(URI.create(upstream + path))
              .header("Content-Type", "application/json")
              .method(
                  ex.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> response =
          http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      send(ex, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // the client went away
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static byte[] sleepingReply(int n) throws IOException {
    ObjectNode reply = Json.MAPPER.createObjectNode();
    reply.put("id", "sleeper").put("object", "chat.completion").put("model", SLEEPER);
    ArrayNode choices = reply.putArray("choices");
    for (int i = 0; i < n; i++) {
      ObjectNode choice = choices.addObject();
      choice.put("index", i).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", SLEEPING_PROGRAM);
    }
    reply
        .putObject("usage")
        .put("prompt_tokens", 10)
        .put("completion_tokens", 10)
        .put("total_tokens", 20);
    return Json.MAPPER.writeValueAsBytes(reply);
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
