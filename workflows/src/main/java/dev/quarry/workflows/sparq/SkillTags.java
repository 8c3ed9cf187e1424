package dev.quarry.workflows.sparq;

import dev.quarry.core.sparq.Niche;
import dev.quarry.workflows.TokenUsage;
import java.util.List;

/**
 * The tagger's skills as it named them, and the niche they make (known skills only, at most the
 * configured number).
 */
public record SkillTags(List<String> tagged, Niche niche, TokenUsage usage) {
  public SkillTags {
    tagged = tagged == null ? List.of() : List.copyOf(tagged);
  }
}
