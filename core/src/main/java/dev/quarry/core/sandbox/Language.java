package dev.quarry.core.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Languages the sandbox can run. The wire name is what run configs, workflow inputs and the
 * in-container runner spell (python, cpp): recorded histories hold it, so it must not change.
 */
public enum Language {
  PYTHON("python"),
  CPP("cpp");

  private final String wireName;

  Language(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Language fromWireName(String name) {
    for (Language language : values()) {
      if (language.wireName.equalsIgnoreCase(name)) {
        return language;
      }
    }
    throw new IllegalArgumentException("unknown language '" + name + "'; use one of: python, cpp");
  }
}
