package dev.quarry.activities.store;

/** Workflow ids may hold any character; file and folder names may not. */
public final class FileNames {
  private FileNames() {}

  public static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
