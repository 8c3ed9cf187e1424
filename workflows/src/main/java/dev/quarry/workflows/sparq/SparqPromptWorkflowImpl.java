package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.SolveResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

public class SparqPromptWorkflowImpl implements SparqPromptWorkflow {
  private final SparqLlmActivities llm =
      Workflow.newActivityStub(SparqLlmActivities.class, ActivityStubs.llm());
  private final SparqActivities sparq =
      Workflow.newActivityStub(SparqActivities.class, ActivityStubs.bookkeeping());

  @Override
  public SparqPromptOutcome evaluate(SparqPromptInput input) {
    RunConfig config = input.config();
    int promptIndex = input.parent().promptIndex();
    String key = Ids.prompt(input.runId(), input.round(), promptIndex);
    long seed = SeedMixer.derive(config.seed(), input.round(), promptIndex);
    Usage usage = Usage.ZERO;

    GeneratedMath generated =
        llm.generateProblem(
            new GenerateMathRequest(
                key,
                input.parent().problem(),
                config.roles().generator(),
                input.generatorVersion(),
                seed));
    usage = usage.plusGenerator(generated.usage());
    if (generated.invalidReason() != null) {
      return finish(input, key, generated, null, null, null, generated.invalidReason(), usage);
    }

    // Tagging and solving are independent: run them at once.
    Promise<SkillTags> tagging =
        Async.function(
            llm::tagSkills,
            new TagSkillsRequest(
                key,
                generated.problem(),
                config.roles().skillTagger(),
                input.vocabulary(),
                config.sparq().maxSkillsPerProblem(),
                SeedMixer.derive(seed, 1)));
    Promise<SolveResult> solving =
        Async.function(
            llm::solve,
            new SolveMathRequest(
                key,
                generated.problem(),
                config.roles().solver(),
                config.sparq().rollouts(),
                SeedMixer.derive(seed, 2),
                generated.referenceAnswer(),
                config.sparq(),
                config.rollouts()));
    SolveResult rollouts = solving.get();
    SkillTags tags = tagging.get();
    // SPARQ uses one model for every part; the skill tagger's tokens count with the generator's.
    usage = usage.plusGenerator(tags.usage()).plusSolver(rollouts.usage());

    SolveRateScore score =
        sparq.score(
            new ScoreSolveRateRequest(
                key, rollouts.rollouts(), generated.referenceAnswer(), config.sparq()));
    // A solve rate that could not be measured (too few rollouts exist) makes the problem invalid.
    return finish(input, key, generated, tags, rollouts, score, score.invalidReason(), usage);
  }

  private SparqPromptOutcome finish(
      SparqPromptInput input,
      String key,
      GeneratedMath generated,
      SkillTags tags,
      SolveResult rollouts,
      SolveRateScore score,
      String invalidReason,
      Usage usage) {
    sparq.recordProblem(
        new SparqProblemRecord(
            input.runId(),
            input.round(),
            input.parent().promptIndex(),
            key,
            input.parent().parentId(),
            input.parent().niche(),
            input.generatorVersion(),
            generated.problem(),
            generated.referenceAnswer(),
            tags == null ? null : tags.tagged(),
            tags == null ? null : tags.niche(),
            rollouts == null ? null : rollouts.rollouts(),
            score,
            invalidReason,
            usage));
    return new SparqPromptOutcome(
        input.parent().promptIndex(),
        invalidReason == null,
        score == null ? 0 : score.solveRate(),
        score == null ? 0 : score.quality(),
        rollouts == null ? 0 : rollouts.count(),
        invalidReason,
        usage);
  }
}
