package dev.quarry.core.prompts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the program out of a solver's reply: the last fenced block tagged with a language Quarry
 * runs (python, py, cpp, c++, cc, cxx) or untagged. A reply without a fence is taken whole, so the
 * sandbox, not a guess here, decides whether it is a program: it then gets a compile error as its
 * recorded verdict.
 */
public final class CodeExtractor {
  private static final Pattern FENCE =
      Pattern.compile(
          "```[ \\t]*(python3?|py|cpp|c\\+\\+|cc|cxx)?[ \\t]*\\r?\\n(.*?)```",
          Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final Pattern OPEN_FENCE =
      Pattern.compile(
          "```[ \\t]*(python3?|py|cpp|c\\+\\+|cc|cxx)?[ \\t]*\\r?\\n(.*)$",
          Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private CodeExtractor() {}

  public static String program(String reply) {
    if (reply == null) {
      return "";
    }
    Matcher matcher = FENCE.matcher(reply);
    String found = null;
    while (matcher.find()) {
      found = matcher.group(2);
    }
    if (found != null) {
      return found.strip() + "\n";
    }
    // A reply cut off by max_tokens leaves its fence open; keep what was written.
    Matcher open = OPEN_FENCE.matcher(reply);
    if (open.find()) {
      return open.group(2).strip() + "\n";
    }
    return reply.strip() + "\n";
  }
}
