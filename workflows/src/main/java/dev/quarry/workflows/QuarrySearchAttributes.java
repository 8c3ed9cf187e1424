package dev.quarry.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The custom search attributes Quarry's workflows set, so runs, rounds and prompts can be found in
 * the web UI and with {@code temporal workflow list --query "QuarryRunId='...'"}. They must be
 * registered on the namespace first: {@code quarry dev up} starts its dev server with them, and
 * temporal-config/register-search-attributes.sh registers them on any other server. Workflows set
 * only those the namespace has (see VisibilityActivities), so an unprepared server still runs.
 */
public final class QuarrySearchAttributes {
  public static final SearchAttributeKey<String> RUN_ID =
      SearchAttributeKey.forKeyword("QuarryRunId");
  public static final SearchAttributeKey<Long> ROUND = SearchAttributeKey.forLong("QuarryRound");
  public static final SearchAttributeKey<String> METHOD =
      SearchAttributeKey.forKeyword("QuarryMethod");
  public static final SearchAttributeKey<String> STAGE =
      SearchAttributeKey.forKeyword("QuarryStage");
  public static final SearchAttributeKey<String> GENERATOR_VERSION =
      SearchAttributeKey.forKeyword("QuarryGeneratorVersion");

  /** A round's prompts whose child failed (counted with their reasons in the round's tally). */
  public static final SearchAttributeKey<Long> FAILED_PROMPTS =
      SearchAttributeKey.forLong("QuarryFailedPrompts");

  /** Every attribute, by name, with the type name the Temporal CLI's flags use. */
  public static final Map<String, String> TYPES;

  static {
    Map<String, String> types = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key :
        List.of(RUN_ID, ROUND, METHOD, STAGE, GENERATOR_VERSION, FAILED_PROMPTS)) {
      types.put(key.getName(), key.getValueClass() == Long.class ? "Int" : "Keyword");
    }
    TYPES = Map.copyOf(types);
  }

  private QuarrySearchAttributes() {}

  /** {@code --search-attribute NAME=TYPE} flags for {@code temporal server start-dev}. */
  public static List<String> devServerFlags() {
    return TYPES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .flatMap(e -> Stream.of("--search-attribute", e.getKey() + "=" + e.getValue()))
        .toList();
  }
}
