package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;
import java.util.List;

/** Ask the skill tagger for up to {@code maxSkills} skills of a problem, from the vocabulary. */
public record TagSkillsRequest(
    String key,
    ArtifactRef problem,
    RoleConfig skillTagger,
    List<String> vocabulary,
    int maxSkills,
    long seed) {
  public TagSkillsRequest {
    vocabulary = List.copyOf(vocabulary);
  }
}
