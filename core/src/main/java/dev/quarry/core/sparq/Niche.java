package dev.quarry.core.sparq;

import java.util.List;
import java.util.TreeSet;

/**
 * A cell of the archive: the sorted tuple of a problem's skills, so {@code (algebra, counting)} and
 * {@code (counting, algebra)} are one niche.
 */
public record Niche(List<String> skills) implements Comparable<Niche> {
  public Niche {
    skills = List.copyOf(new TreeSet<>(skills));
  }

  public static Niche of(String... skills) {
    return new Niche(List.of(skills));
  }

  /** A stable text form, e.g. {@code algebra|counting}; empty for a problem with no skill. */
  public String key() {
    return String.join("|", skills);
  }

  @Override
  public int compareTo(Niche other) {
    return key().compareTo(other.key());
  }

  @Override
  public String toString() {
    return "(" + String.join(", ", skills) + ")";
  }
}
