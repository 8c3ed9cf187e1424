package dev.quarry.workers.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.RolesInUse;
import dev.quarry.core.config.RunConfigLoader;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointCheckTest {
  private static RoleConfig at(String endpoint) {
    return new RoleConfig(endpoint, "m", 0.7, 0.95, 16, List.of(), null, 1, 0);
  }

  @Test
  void listeningEndpointsPassAndClosedOnesAreNamedWithTheirRoles() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort(); // free again once closed
    }
    try (ServerSocket open = new ServerSocket(0)) {
      Map<String, RoleConfig> roles = new LinkedHashMap<>();
      roles.put("generator", at("http://127.0.0.1:" + open.getLocalPort() + "/v1"));
      roles.put("solver", at("http://127.0.0.1:" + closedPort + "/v1"));
      roles.put("judge", at("http://127.0.0.1:" + closedPort + "/v1"));
      List<String> problems = EndpointCheck.unreachable(roles);
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(
          problems
              .get(0)
              .startsWith("roles [solver, judge]: endpoint http://127.0.0.1:" + closedPort),
          problems.get(0));
      assertTrue(
          EndpointCheck.unreachable(Map.of("x", at("not a url"))).get(0).contains("not a URL"));
      assertTrue(EndpointCheck.unreachable(Map.of("x", at("file:/v1"))).get(0).contains("no host"));
    }
  }

  @Test
  void eachMethodChecksOnlyTheRolesItCalls() {
    assertEquals(
        List.of("generator", "solver", "testWriter"),
        List.copyOf(RolesInUse.of(RunConfigLoader.parse("method: quest\n", "t")).keySet()));
    assertEquals(
        List.of("generator", "solver", "judge", "rewardModel", "rewriter"),
        List.copyOf(RolesInUse.of(RunConfigLoader.parse("method: scalequest\n", "t")).keySet()));
    assertEquals(
        List.of("generator", "solver", "skillTagger"),
        List.copyOf(
            RolesInUse.of(
                    RunConfigLoader.parse(
                        "method: sparq\nseeds:\n  file: seeds/math-seeds.jsonl\n  format: math\n",
                        "t"))
                .keySet()));
  }
}
