package dev.quarry.core.seeds;

import java.nio.file.Path;

/** Which loader reads a seed file. */
public enum SeedFormat {
  QUARRY,
  TACO,
  /** Math problems with a reference final answer and skills (SPARQ). */
  MATH;

  public SeedSet load(Path file) {
    return switch (this) {
      case QUARRY -> new QuarrySeedLoader().load(file);
      case TACO -> new TacoSeedLoader().load(file);
      case MATH -> new MathSeedLoader().load(file);
    };
  }
}
