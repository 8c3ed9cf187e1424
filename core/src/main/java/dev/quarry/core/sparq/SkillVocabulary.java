package dev.quarry.core.sparq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The skills a problem may be tagged with: the most common skills of the seed problems (SPARQ keeps
 * the top 100). Ties in frequency are broken alphabetically, so the vocabulary is the same on every
 * worker.
 */
public record SkillVocabulary(List<String> skills) {
  public SkillVocabulary {
    skills = List.copyOf(skills);
  }

  public static SkillVocabulary mostCommon(
      Collection<? extends Collection<String>> skillSets, int size) {
    Map<String, Integer> counts = new HashMap<>();
    for (Collection<String> set : skillSets) {
      for (String skill : new LinkedHashSet<>(set)) {
        String s = canonical(skill);
        if (!s.isEmpty()) {
          counts.merge(s, 1, Integer::sum);
        }
      }
    }
    List<String> ranked = new ArrayList<>(counts.keySet());
    ranked.sort(
        Comparator.comparing((String s) -> -counts.get(s))
            .thenComparing(Comparator.naturalOrder()));
    return new SkillVocabulary(ranked.subList(0, Math.min(size, ranked.size())));
  }

  /** Lower case, single spaces, no underscores: how skills are compared. */
  public static String canonical(String skill) {
    return skill == null ? "" : skill.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", " ");
  }

  /**
   * The niche of a problem from the tagger's skills: those in the vocabulary, first {@code max}
   * distinct ones in the tagger's order (it names the most important first).
   */
  public Niche niche(List<String> tagged, int max) {
    Set<String> known = Set.copyOf(skills);
    LinkedHashSet<String> kept = new LinkedHashSet<>();
    for (String skill : tagged) {
      String s = canonical(skill);
      if (known.contains(s) && kept.size() < max) {
        kept.add(s);
      }
    }
    return new Niche(List.copyOf(kept));
  }
}
