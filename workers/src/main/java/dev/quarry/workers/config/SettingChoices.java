package dev.quarry.workers.config;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.convert.TypeConverter;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the worker settings' closed sets (QUARRY_SANDBOX_MODE, QUARRY_STORE) in any case, and
 * refuses another value with the allowed ones: Micronaut's own enum conversion names neither.
 */
final class SettingChoices {
  private SettingChoices() {}

  static <E extends Enum<E>> Optional<E> parse(
      Class<E> type, String value, ConversionContext context) {
    String wanted = value == null ? "" : value.trim();
    for (E choice : type.getEnumConstants()) {
      if (choice.name().equalsIgnoreCase(wanted)) {
        return Optional.of(choice);
      }
    }
    String allowed =
        Arrays.stream(type.getEnumConstants())
            .map(c -> c.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
    context.reject(value, new IllegalArgumentException("'" + value + "' is not one of " + allowed));
    return Optional.empty();
  }

  @Singleton
  static final class SandboxModes implements TypeConverter<String, SandboxMode> {
    @Override
    public Optional<SandboxMode> convert(
        String value, Class<SandboxMode> type, ConversionContext context) {
      return parse(SandboxMode.class, value, context);
    }
  }

  @Singleton
  static final class StoreKinds implements TypeConverter<String, StoreKind> {
    @Override
    public Optional<StoreKind> convert(
        String value, Class<StoreKind> type, ConversionContext context) {
      return parse(StoreKind.class, value, context);
    }
  }
}
