package dev.quarry.core.sandbox;

/** Languages the sandbox can run. The wire name is what the in-container runner expects. */
public enum Language {
  PYTHON("python"),
  CPP("cpp");

  private final String wireName;

  Language(String wireName) {
    this.wireName = wireName;
  }

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
