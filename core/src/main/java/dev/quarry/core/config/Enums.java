package dev.quarry.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a config's closed sets (enums) are spelled to users: in lower case, as configs write them.
 */
public final class Enums {
  private Enums() {}

  /** The values a config may give for {@code type}, e.g. [record, openai, container, python]. */
  public static List<String> wireNames(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
        .toList();
  }
}
