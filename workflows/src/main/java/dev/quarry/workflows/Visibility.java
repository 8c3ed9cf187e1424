package dev.quarry.workflows;

import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.activities.VisibilityActivities;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Workflow-side visibility: Quarry's search attributes, memo and summaries, set only for the
 * attributes the namespace has registered (an unregistered one would fail every workflow task). The
 * set travels from the run to its rounds in their inputs; an empty set sets nothing, which is also
 * what histories recorded before visibility existed replay as.
 */
public final class Visibility {
  /** The {@link Workflow#getVersion} change id under which runs discover their attributes. */
  public static final String CHANGE_ID = "quarry-search-attributes";

  private final Set<String> registered;

  /** Whether this run execution took the visibility branch (memo and attributes allowed). */
  private final boolean versioned;

  public Visibility(Set<String> registered) {
    this(registered, !(registered == null || registered.isEmpty()));
  }

  private Visibility(Set<String> registered, boolean versioned) {
    this.registered = registered == null ? Set.of() : Set.copyOf(registered);
    this.versioned = versioned;
  }

  /**
   * For the run workflow: asks the namespace once per run execution. Runs started by older workers
   * (no marker in their history) keep replaying without the activity.
   */
  public static Visibility discover() {
    int version = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1);
    if (version == Workflow.DEFAULT_VERSION) {
      return new Visibility(Set.of(), false);
    }
    VisibilityActivities activities =
        Workflow.newActivityStub(VisibilityActivities.class, ActivityStubs.bookkeeping());
    return new Visibility(activities.registeredSearchAttributes(), true);
  }

  /** The run's memo and its attributes, at the start of each run execution (one per round). */
  public void runStarted(String runId, RunConfig config, int round, String generatorVersion) {
    if (!versioned) {
      return;
    }
    Workflow.upsertMemo(memo(config));
    Map<SearchAttributeKey<?>, Object> values = new LinkedHashMap<>();
    values.put(QuarrySearchAttributes.RUN_ID, runId);
    values.put(QuarrySearchAttributes.METHOD, method(config));
    values.put(QuarrySearchAttributes.ROUND, (long) round);
    values.put(QuarrySearchAttributes.GENERATOR_VERSION, generatorVersion);
    values.put(QuarrySearchAttributes.STAGE, "starting");
    upsert(values);
  }

  public Set<String> registered() {
    return registered;
  }

  /** Upserts the given attribute values, skipping unregistered ones and nulls. */
  public void upsert(Map<SearchAttributeKey<?>, Object> values) {
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    values.forEach(
        (key, value) -> {
          if (value != null && registered.contains(key.getName())) {
            updates.add(update(key, value));
          }
        });
    if (!updates.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(updates.toArray(SearchAttributeUpdate<?>[]::new));
    }
  }

  /** The stage of this workflow, for filtering ("QuarryStage='evaluating'"). */
  public void stage(String stage) {
    upsert(Map.of(QuarrySearchAttributes.STAGE, stage));
  }

  /** Child options with the attributes every Quarry child carries, a summary and no secrets. */
  public ChildWorkflowOptions.Builder child(
      ChildWorkflowOptions.Builder options,
      String runId,
      int round,
      RunConfig config,
      String generatorVersion,
      String summary) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder();
    Map<SearchAttributeKey<?>, Object> values = new LinkedHashMap<>();
    values.put(QuarrySearchAttributes.RUN_ID, runId);
    values.put(QuarrySearchAttributes.ROUND, (long) round);
    values.put(QuarrySearchAttributes.METHOD, method(config));
    values.put(QuarrySearchAttributes.GENERATOR_VERSION, generatorVersion);
    boolean any = false;
    for (var entry : values.entrySet()) {
      if (entry.getValue() != null && registered.contains(entry.getKey().getName())) {
        set(attributes, entry.getKey(), entry.getValue());
        any = true;
      }
    }
    if (any) {
      options.setTypedSearchAttributes(attributes.build());
    }
    if (!registered.isEmpty()) {
      options.setStaticSummary(summary);
    }
    return options;
  }

  public static String method(RunConfig config) {
    return config.method() == null ? null : config.method().name().toLowerCase(Locale.ROOT);
  }

  /**
   * The run's memo: what a person filtering runs in the web UI wants to see at a glance. Built from
   * the config, which never holds secrets (API keys are named by environment variable).
   */
  public static Map<String, Object> memo(RunConfig c) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("method", method(c));
    memo.put("rounds", c.rounds());
    memo.put("promptsPerRound", c.promptsPerRound());
    memo.put("K", c.candidatesPerPrompt());
    memo.put("M", c.rolloutsPerCandidate());
    memo.put("T", c.testInputsPerCandidate());
    memo.put("seed", c.seed());
    memo.put("generator", model(c.roles().generator()));
    memo.put("solver", model(c.roles().solver()));
    memo.put("outputDir", c.outputDir());
    return memo;
  }

  private static String model(RoleConfig role) {
    // An endpoint may carry user:password@ (some gateways do): never copy that into the memo.
    return role == null
        ? null
        : role.model() + " @ " + role.endpoint().replaceAll("//[^/@]*@", "//");
  }

  @SuppressWarnings("unchecked")
  private static SearchAttributeUpdate<?> update(SearchAttributeKey<?> key, Object value) {
    return ((SearchAttributeKey<Object>) key).valueSet(value);
  }

  @SuppressWarnings("unchecked")
  private static void set(
      SearchAttributes.Builder builder, SearchAttributeKey<?> key, Object value) {
    builder.set((SearchAttributeKey<Object>) key, value);
  }
}
