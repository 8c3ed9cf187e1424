package dev.quarry.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a run config (YAML or JSON, YAML being a superset) over the built-in defaults, and rejects
 * it before anything starts when a field is unknown, of the wrong type or out of range.
 */
public final class RunConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper BINDER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private RunConfigLoader() {}

  public static RunConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new RunConfigException(file.toString(), List.of("file not found: " + file));
    } catch (IOException e) {
      throw new RunConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
    }
    return parse(text, file.toString());
  }

  public static RunConfig parse(String text, String source) {
    JsonNode user;
    try {
      user = text.isBlank() ? YAML.createObjectNode() : YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RunConfigException(
          source, List.of("not valid YAML/JSON: " + e.getOriginalMessage()));
    }
    if (user == null || user.isNull() || user.isMissingNode()) {
      user = YAML.createObjectNode();
    }
    if (!user.isObject()) {
      throw new RunConfigException(source, List.of("the top level must be a mapping of fields"));
    }
    ObjectNode merged = defaults().deepCopy();
    List<String> problems = new ArrayList<>();
    merge(merged, (ObjectNode) user, "", problems);
    if (!problems.isEmpty()) {
      throw new RunConfigException(source, problems);
    }
    RunConfig config;
    try {
      config = BINDER.treeToValue(merged, RunConfig.class);
    } catch (IOException e) {
      throw new RunConfigException(source, List.of(describe(e)));
    }
    List<String> invalid = RunConfigValidator.validate(config);
    if (!invalid.isEmpty()) {
      throw new RunConfigException(source, invalid);
    }
    return config;
  }

  /** The defaults every config starts from. */
  public static ObjectNode defaults() {
    try (InputStream in = RunConfigLoader.class.getResourceAsStream("defaults.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in defaults.yaml is unreadable", e);
    }
  }

  /** Copies user fields over the defaults; a field the defaults do not know is a problem. */
  private static void merge(
      ObjectNode target, ObjectNode user, String path, List<String> problems) {
    for (Map.Entry<String, JsonNode> field : user.properties()) {
      String name = field.getKey();
      String fieldPath = path.isEmpty() ? name : path + "." + name;
      JsonNode known = target.get(name);
      if (known == null) {
        problems.add(unknownField(fieldPath, name, target));
      } else if (known.isObject() && known.isEmpty() && field.getValue().isObject()) {
        // An empty mapping in the defaults is an open map (e.g. trainer hyperparameters).
        target.set(name, field.getValue());
      } else if (known.isObject() && field.getValue().isObject()) {
        merge((ObjectNode) known, (ObjectNode) field.getValue(), fieldPath, problems);
      } else if (known.isObject() && !field.getValue().isNull()) {
        problems.add(
            "field '" + fieldPath + "' must be a mapping with fields " + fieldNames(known));
      } else {
        target.set(name, field.getValue());
      }
    }
  }

  private static String unknownField(String fieldPath, String name, JsonNode siblings) {
    if (name.equalsIgnoreCase("apiKey") || name.equalsIgnoreCase("api_key")) {
      return "field '"
          + fieldPath
          + "': API keys must never be in a run config (it is stored in workflow history); "
          + "export the key in the worker's environment and set apiKeyEnv to the variable's name";
    }
    String kind =
        fieldPath.startsWith("roles.") && fieldPath.indexOf('.', 6) < 0 ? "role" : "field";
    return "unknown " + kind + " '" + fieldPath + "'; known here: " + fieldNames(siblings);
  }

  private static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  private static String describe(IOException e) {
    if (e instanceof MismatchedInputException mismatch) {
      String field =
          mismatch.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      String expected = typeName(mismatch.getTargetType());
      if (mismatch instanceof InvalidFormatException invalid) {
        return "field '" + field + "': '" + invalid.getValue() + "' is not " + expected;
      }
      return "field '" + field + "': expected " + expected;
    }
    return e.getMessage();
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of " + String.join(", ", Enums.wireNames(type));
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping of fields";
  }
}
