package dev.quarry.workers.cli.run;

import dev.quarry.activities.preflight.EndpointProbe;
import dev.quarry.core.config.RoleConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before a run starts: can this machine open a connection to every endpoint the run's roles use? A
 * run against an endpoint nobody serves would otherwise retry its first LLM call for ever. A TCP
 * connect ({@link EndpointProbe#unreachable}), not a request: the keys live on the workers, whose
 * run preflight ({@link dev.quarry.activities.preflight.PreflightActivitiesImpl}) checks keys and
 * models with the rest of {@link EndpointProbe}.
 */
final class EndpointCheck {
  private EndpointCheck() {}

  /**
   * @return one problem per unreachable endpoint, naming the roles that use it
   */
  static List<String> unreachable(Map<String, RoleConfig> roles) {
    Map<String, List<String>> byEndpoint = new LinkedHashMap<>();
    roles.forEach(
        (name, role) ->
            byEndpoint.computeIfAbsent(role.endpoint(), e -> new ArrayList<>()).add(name));
    List<String> problems = new ArrayList<>();
    byEndpoint.forEach(
        (endpoint, names) -> {
          String why = probe(endpoint);
          if (why != null) {
            problems.add(
                "roles " + names + ": endpoint " + endpoint + " is unreachable (" + why + ")");
          }
        });
    return problems;
  }

  private static String probe(String endpoint) {
    return EndpointProbe.unreachable(endpoint);
  }
}
