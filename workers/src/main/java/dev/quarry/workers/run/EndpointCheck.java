package dev.quarry.workers.run;

import dev.quarry.core.config.RoleConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before a run starts: can this machine open a connection to every endpoint the run's roles
 * use? A run against an endpoint nobody serves would otherwise retry its first LLM call for
 * ever. A TCP connect, not a request: servers differ in which routes answer without a key.
 */
final class EndpointCheck {
  private static final int TIMEOUT_MILLIS = 3000;

  private EndpointCheck() {}

  /** @return one problem per unreachable endpoint, naming the roles that use it */
  static List<String> unreachable(Map<String, RoleConfig> roles) {
    Map<String, List<String>> byEndpoint = new LinkedHashMap<>();
    roles.forEach((name, role) ->
        byEndpoint.computeIfAbsent(role.endpoint(), e -> new ArrayList<>()).add(name));
    List<String> problems = new ArrayList<>();
    byEndpoint.forEach((endpoint, names) -> {
      String why = probe(endpoint);
      if (why != null) {
        problems.add("roles " + names + ": endpoint " + endpoint + " is unreachable (" + why + ")");
      }
    });
    return problems;
  }

  private static String probe(String endpoint) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      return "not a URL: " + e.getMessage();
    }
    if (uri.getHost() == null) {
      return "no host in the URL";
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), TIMEOUT_MILLIS);
      return null;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }
}
