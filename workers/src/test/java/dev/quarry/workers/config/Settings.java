package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import java.util.Map;

/** Binds one settings class the way a worker does (application.yml, then these properties). */
final class Settings {
  private Settings() {}

  static <T> T bound(Class<T> type, Map<String, Object> properties) {
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      return context.getBean(type);
    }
  }

  /** The message a worker would print when it refuses to start with these properties. */
  static String refusal(Class<?> type, Map<String, Object> properties) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> bound(type, properties));
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    System.out.println("refused " + properties + ":\n" + messages);
    return messages.toString();
  }
}
