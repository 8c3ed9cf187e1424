package dev.quarry.workers.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command of the CLI, built the way `quarry` builds it, has its injected fields filled: a
 * command Micronaut does not see as a bean (say, one inheriting its @Inject field) would get null
 * and fail at run time with a NullPointerException instead of doing its job.
 */
class CommandInjectionTest {
  @Test
  void everyCommandGetsItsInjectedFields() throws Exception {
    try (ApplicationContext context = ApplicationContext.run()) {
      CommandLine root = new CommandLine(QuarryCommand.class, new MicronautFactory(context));
      List<String> missing = new ArrayList<>();
      int checked = visit(root, missing);
      assertTrue(checked > 10, "walked only " + checked + " commands");
      assertTrue(missing.isEmpty(), "commands with null @Inject fields: " + missing);
    }
  }

  private static int visit(CommandLine command, List<String> missing)
      throws IllegalAccessException {
    int count = 1;
    Object user = command.getCommand();
    for (Class<?> type = user.getClass();
        type != null && type != Object.class;
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (field.isAnnotationPresent(Inject.class)) {
          field.setAccessible(true);
          if (field.get(user) == null) {
            missing.add(command.getCommandName() + "." + field.getName());
          }
        }
      }
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      count += visit(sub, missing);
    }
    return count;
  }
}
