package dev.quarry.core.config;

import dev.quarry.core.sandbox.SandboxBatchTimeout;
import dev.quarry.core.seeds.SeedFormat;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Range and consistency checks on a parsed run config; each message names field and fix. */
public final class RunConfigValidator {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private RunConfigValidator() {}

  public static List<String> validate(RunConfig c) {
    List<String> p = new ArrayList<>();
    if (c.method() == null) {
      p.add("field 'method': set it to quest, scalequest or sparq");
    }
    boolean scalequest = c.method() == Method.SCALEQUEST;
    range(p, "rounds", c.rounds(), 1, 100_000);
    long maxPrompts = maxPromptsPerRound(c.method());
    if (c.promptsPerRound() > maxPrompts) {
      p.add(
          "field 'promptsPerRound': "
              + c.promptsPerRound()
              + " is over "
              + maxPrompts
              + ", the largest round of this method measured to keep every workflow history under"
              + " Temporal's limits (docs/architecture.md); run more rounds instead");
    } else {
      range(p, "promptsPerRound", c.promptsPerRound(), 1, maxPrompts);
    }
    range(p, "candidatesPerPrompt", c.candidatesPerPrompt(), 1, 64);
    range(p, "rolloutsPerCandidate", c.rolloutsPerCandidate(), 1, 64);
    range(p, "testInputsPerCandidate", c.testInputsPerCandidate(), 1, 64);
    range(p, "maxConcurrentPrompts", c.maxConcurrentPrompts(), 1, 500);
    // ScaleQuest generates from scratch: its seeds block is never read, so never checked.
    if (!scalequest && (c.seeds().file() == null || c.seeds().file().isBlank())) {
      p.add("field 'seeds.file': set it to a seed problem file (JSONL)");
    }
    if (!scalequest && c.seeds().format() == null) {
      p.add("field 'seeds.format': set it to quarry, taco or math");
    }
    if (c.method() == Method.SPARQ) {
      sparq(p, c);
    } else if (!scalequest && c.seeds().format() == SeedFormat.MATH) {
      p.add(
          "field 'seeds.format': math seeds have no tests for method quest; use quarry or taco"
              + " (or set method: sparq)");
    }
    c.pricing()
        .forEach(
            (role, price) -> {
              if (price == null || !(price.promptPer1M() >= 0) || !(price.completionPer1M() >= 0)) {
                p.add("field 'pricing." + role + "': prices per million tokens must be >= 0");
              }
            });
    if (!(c.concepts().alpha() >= 0 && c.concepts().alpha() <= 1)) {
      p.add("field 'concepts.alpha': " + c.concepts().alpha() + " is outside [0, 1]");
    }
    range(p, "concepts.maxSteps", c.concepts().maxSteps(), 1, 6);
    range(p, "concepts.fewShot", c.concepts().fewShot(), 0, 10);
    if (c.sandbox().language() == null) {
      p.add("field 'sandbox.language': set it to python or cpp");
    }
    if (!(c.sandbox().wallSeconds() > 0 && c.sandbox().wallSeconds() <= 120)) {
      p.add("field 'sandbox.wallSeconds': " + c.sandbox().wallSeconds() + " is outside (0, 120]");
    }
    range(p, "sandbox.memoryMb", c.sandbox().memoryMb(), 16, 8192);
    range(p, "sandbox.outputBytes", c.sandbox().outputBytes(), 1, 64 << 20);
    if (c.sandbox().comparison() == null) {
      p.add(
          "field 'sandbox.comparison': set it to exact, whitespace, float_tolerance or case_insensitive");
    }
    sandboxBatchFits(p, c);
    rollouts(p, c.rollouts());
    range(
        p, "validity.minValidInputs", c.validity().minValidInputs(), 1, c.testInputsPerCandidate());
    range(
        p,
        "validity.minRolloutsPerInput",
        c.validity().minRolloutsPerInput(),
        1,
        c.rolloutsPerCandidate());
    if (c.validity().minReplies() != null) {
      range(p, "validity.minReplies", c.validity().minReplies(), 1, c.rolloutsPerCandidate());
    }
    role(p, "roles.generator", c.roles().generator());
    role(p, "roles.solver", c.roles().solver());
    if (scalequest) {
      role(p, "roles.judge", c.roles().judge());
      role(p, "roles.rewardModel", c.roles().rewardModel());
      role(p, "roles.rewriter", c.roles().rewriter());
      ScaleQuestValidator.validate(p, c.scalequest());
    } else {
      role(p, "roles.testWriter", c.roles().testWriter());
    }
    if (c.budget().maxTokens() < 0) {
      p.add(
          "field 'budget.maxTokens': "
              + c.budget().maxTokens()
              + " is negative; use 0 for no limit");
    }
    if (c.budget().maxRequests() < 0) {
      p.add(
          "field 'budget.maxRequests': "
              + c.budget().maxRequests()
              + " is negative; use 0 for no limit");
    }
    if (c.concepts().extract()) {
      role(p, "roles.conceptExtractor", c.roles().conceptExtractor());
    }
    if (!(c.dedup().threshold() > 0 && c.dedup().threshold() <= 1)) {
      p.add("field 'dedup.threshold': " + c.dedup().threshold() + " is outside (0, 1]");
    }
    range(p, "dedup.shingleSize", c.dedup().shingleSize(), 1, 64);
    range(p, "dedup.bands", c.dedup().bands(), 1, 512);
    range(p, "dedup.rows", c.dedup().rows(), 1, 64);
    if (c.trainer() != null) {
      p.addAll(c.trainer().problems());
      preferencePairsExist(p, c);
    }
    range(p, "decontamination.n", c.decontamination().n(), 1, 1000);
    for (int i = 0; i < c.decontamination().files().size(); i++) {
      String file = c.decontamination().files().get(i);
      if (file == null || file.isBlank()) {
        p.add("field 'decontamination.files[" + i + "]': give the path of a benchmark file");
      }
    }
    if (c.outputDir() == null || c.outputDir().isBlank()) {
      p.add("field 'outputDir': set it to the folder datasets are written to");
    }
    return p;
  }

  /** SPARQ needs math seeds (reference answers), its own block in range, and a skill tagger. */
  private static void rollouts(List<String> p, RolloutsConfig r) {
    if (r == null) {
      return;
    }
    range(p, "rollouts.firstWave", r.firstWave(), 1, 64);
    range(p, "rollouts.waveSize", r.waveSize(), 1, 64);
    if (!(r.confidenceZ() >= 0 && r.confidenceZ() <= 10)) {
      p.add(
          "field 'rollouts.confidenceZ': "
              + r.confidenceZ()
              + " is outside [0, 10]; 0 stops only when settled exactly");
    }
    if (!(r.deltaWidth() >= 0 && r.deltaWidth() <= 1)) {
      p.add("field 'rollouts.deltaWidth': " + r.deltaWidth() + " is outside [0, 1]");
    }
  }

  private static void sparq(List<String> p, RunConfig c) {
    if (c.seeds().format() != null && c.seeds().format() != SeedFormat.MATH) {
      p.add(
          "field 'seeds.format': method sparq needs math seeds with reference answers; set"
              + " seeds.format: math and seeds.file: seeds/math-seeds.jsonl (or your own math file)");
    }
    SparqConfig s = c.sparq();
    if (s == null) {
      p.add("field 'sparq': the SPARQ block must be set for method sparq");
      return;
    }
    range(p, "sparq.rollouts", s.rollouts(), 1, 256);
    if (s.minReplies() != null) {
      range(p, "sparq.minReplies", s.minReplies(), 1, s.rollouts());
    }
    if (!(s.solveRateLower() >= 0 && s.solveRateLower() <= 1)) {
      p.add("field 'sparq.solveRateLower': " + s.solveRateLower() + " is outside [0, 1]");
    }
    if (!(s.solveRateUpper() >= 0 && s.solveRateUpper() <= 1)) {
      p.add("field 'sparq.solveRateUpper': " + s.solveRateUpper() + " is outside [0, 1]");
    }
    if (s.solveRateLower() > s.solveRateUpper()) {
      p.add(
          "fields 'sparq.solveRateLower' and 'sparq.solveRateUpper': the lower bound "
              + s.solveRateLower()
              + " is above the upper bound "
              + s.solveRateUpper());
    }
    if (!(s.answerTolerance() >= 0 && s.answerTolerance() < 1)) {
      p.add("field 'sparq.answerTolerance': " + s.answerTolerance() + " is outside [0, 1)");
    }
    range(p, "sparq.skillVocabulary", s.skillVocabulary(), 1, 10_000);
    range(p, "sparq.maxSkillsPerProblem", s.maxSkillsPerProblem(), 1, 10);
    range(p, "sparq.nicheCapacity", s.nicheCapacity(), 1, 1_000_000);
    if (s.archive() == null) {
      p.add("field 'sparq.archive': set it to static or dynamic");
    }
    if (s.parentSelection() == null) {
      p.add("field 'sparq.parentSelection': set it to uniform or diverse");
    }
    if (s.filter() == null) {
      p.add("field 'sparq.filter': set it to quality or diversity");
    }
    range(p, "sparq.filterBudget", s.filterBudget(), 0, 100_000_000);
    role(p, "roles.skillTagger", c.roles().skillTagger());
  }

  static void role(List<String> p, String path, RoleConfig r) {
    if (r == null) {
      p.add("field '" + path + "': the role must be configured");
      return;
    }
    if (r.endpoint() == null || !isHttpUrl(r.endpoint())) {
      p.add(
          "field '"
              + path
              + ".endpoint': '"
              + r.endpoint()
              + "' is not an http(s) URL such as http://127.0.0.1:8088/v1");
    }
    if (r.endpoint() != null && hasUserInfo(r.endpoint())) {
      p.add(
          "field '"
              + path
              + ".endpoint': the URL carries credentials (user:secret@); they would be stored in"
              + " the run's workflow history. Remove them from the URL, put the key in an"
              + " environment variable on the workers and name it in '"
              + path
              + ".apiKeyEnv' (sent as a Bearer token)");
    }
    if (r.model() == null || r.model().isBlank()) {
      p.add("field '" + path + ".model': set the model name the endpoint serves");
    }
    if (!(r.temperature() >= 0 && r.temperature() <= 2)) {
      p.add("field '" + path + ".temperature': " + r.temperature() + " is outside [0, 2]");
    }
    if (!(r.topP() > 0 && r.topP() <= 1)) {
      p.add("field '" + path + ".topP': " + r.topP() + " is outside (0, 1]");
    }
    range(p, path + ".maxTokens", r.maxTokens(), 1, 131_072);
    range(p, path + ".maxConcurrency", r.maxConcurrency(), 1, 1024);
    if (!(r.requestsPerSecond() >= 0 && r.requestsPerSecond() <= 100_000)) {
      p.add(
          "field '"
              + path
              + ".requestsPerSecond': "
              + r.requestsPerSecond()
              + " is outside [0, 100000] (0: no limit)");
    }
    if (r.apiKeyEnv() != null && !ENV_NAME.matcher(r.apiKeyEnv()).matches()) {
      p.add(
          "field '"
              + path
              + ".apiKeyEnv': give the NAME of an environment variable (like OPENAI_API_KEY), "
              + "not the key itself");
    }
  }

  /**
   * One candidate's sandbox batch must be able to finish within the ceiling (QueST is the only
   * method that runs programs). Its activity's timeout is derived from the same formula.
   */
  private static void sandboxBatchFits(List<String> p, RunConfig c) {
    SandboxConfig s = c.sandbox();
    if (c.method() != Method.QUEST
        || !(s.wallSeconds() > 0)
        || c.rolloutsPerCandidate() < 1
        || c.testInputsPerCandidate() < 1) {
      return;
    }
    if (!SandboxBatchTimeout.withinCeiling(
        s, c.rolloutsPerCandidate(), c.testInputsPerCandidate())) {
      Duration bound =
          SandboxBatchTimeout.startToClose(s, c.rolloutsPerCandidate(), c.testInputsPerCandidate());
      p.add(
          "fields 'rolloutsPerCandidate' ("
              + c.rolloutsPerCandidate()
              + "), 'testInputsPerCandidate' ("
              + c.testInputsPerCandidate()
              + ") and 'sandbox.wallSeconds' ("
              + s.wallSeconds()
              + "): one candidate's sandbox batch may need up to "
              + bound.toMinutes()
              + " min on a sandbox slot, above the ceiling of "
              + SandboxBatchTimeout.CEILING.toHours()
              + " h per batch (a batch that long holds a sandbox slot for a quarter of a day, and a"
              + " stuck worker is only noticed at that timeout); lower rolloutsPerCandidate,"
              + " testInputsPerCandidate or sandbox.wallSeconds (see docs/run-safety.md)");
    }
  }

  /** {@code http://user:secret@host/...}: credentials that would land in workflow history. */
  static boolean hasUserInfo(String text) {
    try {
      URI uri = URI.create(text);
      return uri.getRawUserInfo() != null
          || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"));
    } catch (IllegalArgumentException e) {
      return text.contains("@");
    }
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The largest round measured per method (scripts/scale-run.sh on the scripted fake: QueST at
   * 2,500 prompts with K=4, ScaleQuest and SPARQ at 2,000), every history far under Temporal's
   * 10,240-event and 10 MB warnings. Bigger rounds are untested, so refused.
   */
  public static long maxPromptsPerRound(Method method) {
    return method == Method.SCALEQUEST || method == Method.SPARQ ? 2_000 : 2_500;
  }

  static void range(List<String> p, String field, long value, long min, long max) {
    if (value < min || value > max) {
      p.add("field '" + field + "': " + value + " is outside [" + min + ", " + max + "]");
    }
  }

  /** DPO training needs the QPO pairs only ScaleQuest's rewrite stage writes. */
  private static void preferencePairsExist(List<String> p, RunConfig c) {
    TrainerConfig t = c.trainer();
    TrainingData data =
        t.backend() == TrainerBackend.OPENAI && t.openai() != null
            ? t.openai().data()
            : t.backend() == TrainerBackend.PYTHON && t.python() != null ? t.python().data() : null;
    boolean pairsWritten =
        c.method() == Method.SCALEQUEST && c.scalequest() != null && c.scalequest().qpoRewrites();
    if (data == TrainingData.DPO && !pairsWritten) {
      p.add(
          "field 'trainer."
              + t.backend().wireName()
              + ".data': dpo trains on QPO preference pairs, which only method"
              + " scalequest with scalequest.qpoRewrites: true writes; use data: rft");
    }
  }
}
