package dev.quarry.core.seeds;

import java.nio.file.Path;

/** Which loader reads a seed file. */
public enum SeedFormat {
  QUARRY,
  TACO;

  public SeedSet load(Path file) {
    return switch (this) {
      case QUARRY -> new QuarrySeedLoader().load(file);
      case TACO -> new TacoSeedLoader().load(file);
    };
  }
}
