package dev.quarry.workflows.scalequest;

import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.ScaleQuestConfig;
import dev.quarry.core.scalequest.FailRate;
import dev.quarry.core.scalequest.LanguageCheck;
import dev.quarry.core.scalequest.QpoDirection;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.Usage;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public class ScaleQuestQuestionWorkflowImpl implements ScaleQuestQuestionWorkflow {
  // Sub-seeds of a question, one per LLM stage, so each stage's samples are independent.
  private static final int GENERATE = 0;
  private static final int JUDGE = 1;
  private static final int DIFFICULTY = 2;
  private static final int RESPONSES = 3;
  private static final int REWRITE = 4;
  private static final int DIRECTION = 5;

  private final ScaleQuestActivities llm =
      Workflow.newActivityStub(ScaleQuestActivities.class, ActivityStubs.llm());
  private final ScaleQuestDatasetActivities dataset =
      Workflow.newActivityStub(ScaleQuestDatasetActivities.class, ActivityStubs.bookkeeping());

  private Usage usage = Usage.ZERO;

  @Override
  public QuestionOutcome evaluate(QuestionInput input) {
    RunConfig config = input.config();
    ScaleQuestConfig sq = config.scalequest();
    String key = Ids.prompt(input.runId(), input.round(), input.promptIndex());
    long seed = SeedMixer.derive(config.seed(), input.round(), input.promptIndex());

    GeneratedQuestion question =
        llm.generateQuestion(
            new QuestionRequest(
                key,
                config.roles().generator(),
                sq.questionPrefix(),
                sq.questionStop(),
                input.generatorVersion(),
                SeedMixer.derive(seed, GENERATE),
                sq.minLatinShare(),
                sq.minEnglishWordShare()));
    usage = usage.plusGenerator(question.usage());
    List<FilterOutcome> filters = new ArrayList<>();
    if (question.invalidReason() != null) {
      return finish(
          input,
          key,
          question,
          null,
          null,
          null,
          null,
          withNotRun(filters),
          question.invalidReason());
    }

    boolean all = sq.runAllFilters();
    LanguageCheck language = question.language();
    filters.add(
        new FilterOutcome(FilterOutcome.LANGUAGE, language.english(), languageDetail(language)));
    String rejectedBy = language.english() ? null : "language: not English";

    // QPO data does not depend on the filters: the rewrite runs alongside them.
    Promise<RewriteOutcome> rewrite = null;
    if (sq.qpoRewrites() && (language.english() || all)) {
      QpoDirection direction =
          QpoDirection.choose(SeedMixer.derive(seed, DIRECTION), sq.qpoDifficultyShare());
      RewriteRequest request =
          new RewriteRequest(
              key,
              question.question(),
              config.roles().rewriter(),
              direction,
              SeedMixer.derive(seed, REWRITE),
              sq.minLatinShare(),
              sq.minEnglishWordShare());
      rewrite = Async.function(llm::rewriteQuestion, request);
    }

    JudgeOutcome judge = null;
    if (rejectedBy == null || all) {
      judge =
          llm.judgeSolvability(
              new JudgeRequest(
                  key, question.question(), config.roles().judge(), SeedMixer.derive(seed, JUDGE)));
      usage = usage.plusJudge(judge.usage());
      String verdict = judge.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      filters.add(
          new FilterOutcome(
              FilterOutcome.SOLVABILITY,
              judge.verdict().passes(),
              judge.rejection() == null
                  ? verdict
                  : verdict + " (judge request rejected: " + judge.rejection() + ")"));
      if (rejectedBy == null && !judge.verdict().passes()) {
        rejectedBy = "solvability: " + verdict;
      }
    }

    DifficultyOutcome difficulty = null;
    if (rejectedBy == null || all) {
      difficulty =
          llm.measureDifficulty(
              new DifficultyRequest(
                  key,
                  question.question(),
                  config.roles().solver(),
                  sq.solverSamples(),
                  SeedMixer.derive(seed, DIFFICULTY),
                  sq.minSolverReplies(),
                  sq.minFailRate(),
                  sq.maxFailRate(),
                  config.rollouts()));
      usage = usage.plusSolver(difficulty.usage());
      FailRate rate = difficulty.failRate();
      boolean within = rate.within(sq.minFailRate(), sq.maxFailRate());
      filters.add(new FilterOutcome(FilterOutcome.DIFFICULTY, within, difficultyDetail(rate)));
      // An undefined fail rate (too few samples exist, none answered) is its own reason: the
      // question is invalid, not too easy or too hard. Outcomes recorded before it have none.
      if (rejectedBy == null && rate.invalidReason() != null) {
        rejectedBy = "difficulty: " + rate.invalidReason();
      } else if (rejectedBy == null && !within) {
        rejectedBy =
            String.format(
                Locale.ROOT,
                "difficulty: fail rate outside [%.2f, %.2f]",
                sq.minFailRate(),
                sq.maxFailRate());
      }
    }

    ResponsesOutcome responses = null;
    if (rejectedBy == null || all) {
      responses =
          llm.bestOfNResponses(
              new ResponsesRequest(
                  key,
                  question.question(),
                  config.roles().solver(),
                  config.roles().rewardModel(),
                  sq.responseSamples(),
                  SeedMixer.derive(seed, RESPONSES)));
      usage = usage.plusSolver(responses.solverUsage()).plusRewardModel(responses.rewardUsage());
      filters.add(
          new FilterOutcome(
              FilterOutcome.ANSWER_PRESENT,
              responses.best() >= 0 && responses.answerPresent(),
              answerDetail(responses)));
      if (rejectedBy == null && responses.best() < 0) {
        rejectedBy = "responses: none scored by the reward model";
      } else if (rejectedBy == null && !responses.answerPresent()) {
        rejectedBy = "answerPresent: best response states no final answer";
      }
    }

    RewriteOutcome rewritten = null;
    if (rewrite != null) {
      rewritten = rewrite.get();
      usage = usage.plusRewriter(rewritten.usage());
    }
    return finish(
        input,
        key,
        question,
        judge,
        difficulty,
        responses,
        rewritten,
        withNotRun(filters),
        rejectedBy);
  }

  private QuestionOutcome finish(
      QuestionInput input,
      String key,
      GeneratedQuestion question,
      JudgeOutcome judge,
      DifficultyOutcome difficulty,
      ResponsesOutcome responses,
      RewriteOutcome rewrite,
      List<FilterOutcome> filters,
      String rejectedBy) {
    boolean kept = rejectedBy == null;
    dataset.recordQuestion(
        new QuestionRecord(
            input.runId(),
            input.round(),
            input.promptIndex(),
            input.generatorVersion(),
            question,
            judge,
            difficulty,
            responses,
            rewrite,
            filters,
            kept,
            rejectedBy,
            usage));
    return new QuestionOutcome(
        input.promptIndex(),
        kept,
        rejectedBy,
        difficulty == null ? -1 : difficulty.failRate().failRate(),
        difficulty == null ? 0 : difficulty.failRate().samples(),
        rewrite != null && rewrite.makesPair(),
        usage);
  }

  /** Every filter after the ones that ran is listed as not run, so each row names all four. */
  private static List<FilterOutcome> withNotRun(List<FilterOutcome> ran) {
    List<String> order =
        List.of(
            FilterOutcome.LANGUAGE,
            FilterOutcome.SOLVABILITY,
            FilterOutcome.DIFFICULTY,
            FilterOutcome.ANSWER_PRESENT);
    List<FilterOutcome> all = new ArrayList<>(ran);
    for (int i = all.size(); i < order.size(); i++) {
      all.add(FilterOutcome.notRun(order.get(i)));
    }
    return all;
  }

  private static String languageDetail(LanguageCheck c) {
    String shares =
        String.format(
            Locale.ROOT,
            "latinShare=%.2f englishWordShare=%.2f",
            c.latinShare(),
            c.englishWordShare());
    return c.reason() == null ? shares : shares + "; " + c.reason();
  }

  private static String difficultyDetail(FailRate r) {
    if (r.invalidReason() != null) {
      return r.invalidReason()
          + " ("
          + r.samples()
          + " samples exist, "
          + r.missing()
          + " missing)";
    }
    return String.format(
        Locale.ROOT,
        "failRate=%.3f: %d of %d samples agree with the majority answer %s (%d answered)",
        r.failRate(),
        r.agreeing(),
        r.samples(),
        r.reference() == null ? "(none)" : r.reference(),
        r.answered());
  }

  private static String answerDetail(ResponsesOutcome r) {
    if (r.rejection() != null) {
      return "solver request rejected: " + r.rejection();
    }
    if (r.best() < 0) {
      return "no response of " + r.count() + " got a usable reward score";
    }
    return r.answerPresent()
        ? "best response " + r.best() + " answers " + r.bestAnswer()
        : "best response " + r.best() + " states no final answer";
  }
}
