package dev.quarry.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The model roles a run actually calls, by name, given its method and switches. */
public final class RolesInUse {
  private RolesInUse() {}

  public static Map<String, RoleConfig> of(RunConfig config) {
    Roles r = config.roles();
    Map<String, RoleConfig> used = new LinkedHashMap<>();
    used.put("generator", r.generator());
    used.put("solver", r.solver());
    switch (config.method()) {
      case QUEST -> {
        used.put("testWriter", r.testWriter());
        if (config.concepts().extract()) {
          used.put("conceptExtractor", r.conceptExtractor());
        }
      }
      case SCALEQUEST -> {
        used.put("judge", r.judge());
        used.put("rewardModel", r.rewardModel());
        used.put("rewriter", r.rewriter());
      }
      case SPARQ -> used.put("skillTagger", r.skillTagger());
    }
    used.values().removeIf(Objects::isNull);
    return used;
  }
}
