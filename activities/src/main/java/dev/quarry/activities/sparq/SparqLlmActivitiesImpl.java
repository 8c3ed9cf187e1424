package dev.quarry.activities.sparq;

import dev.quarry.activities.generation.ChatCalls;
import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.generation.RolloutWaves;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.ActivityArtifacts;
import dev.quarry.core.adaptive.BandStopping;
import dev.quarry.core.adaptive.StopReason;
import dev.quarry.core.answers.AnswerExtractor;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.MathProblemArtifact;
import dev.quarry.core.artifacts.MathRolloutsArtifact;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.SparqConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.sparq.GeneratorReply;
import dev.quarry.core.sparq.Niche;
import dev.quarry.core.sparq.SkillVocabulary;
import dev.quarry.core.sparq.SolveRate;
import dev.quarry.core.sparq.SparqPrompts;
import dev.quarry.workflows.activities.SolveResult;
import dev.quarry.workflows.sparq.GenerateMathRequest;
import dev.quarry.workflows.sparq.GeneratedMath;
import dev.quarry.workflows.sparq.SkillTags;
import dev.quarry.workflows.sparq.SolveMathRequest;
import dev.quarry.workflows.sparq.SparqLlmActivities;
import dev.quarry.workflows.sparq.TagSkillsRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * SPARQ's LLM stages: mutate a parent into a new problem with its solution (JSON-schema output),
 * tag its skills from the vocabulary (JSON-schema output, an enum of the skills), and K solver
 * rollouts. Every reply goes to the artifact store; workflows get references.
 */
public final class SparqLlmActivitiesImpl implements SparqLlmActivities {
  private final ChatCalls chat;
  private final ActivityArtifacts artifacts;

  public SparqLlmActivitiesImpl(ChatModel model, FileArtifactStore store) {
    this.chat = new ChatCalls(model);
    this.artifacts = new ActivityArtifacts(store);
  }

  @Override
  public GeneratedMath generateProblem(GenerateMathRequest request) {
    MathProblemArtifact parent = artifacts.get(request.parent(), MathProblemArtifact.class);
    List<Message> prompt = SparqPrompts.generator(parent.problem());
    RoleConfig role = request.generator();
    ChatCalls.Answer answer =
        chat.call(request.key(), role, prompt, 1, request.seed(), SparqPrompts.generatorSchema());
    if (answer.replies().isEmpty()) {
      // No reply, no problem: nothing is stored that the generator did not write.
      return new GeneratedMath(null, null, "generator " + answer.why(), answer.usage());
    }
    ChatCalls.Reply reply = answer.replies().get(0);
    GeneratorReply.Parsed parsed = GeneratorReply.parse(reply.text(), parent.problem());
    ArtifactRef ref =
        artifacts.put(
            new MathProblemArtifact(
                prompt,
                parsed.problem(),
                parsed.solution(),
                parsed.answer(),
                reply.text(),
                reply.sampling(role),
                request.generatorVersion()));
    String invalid = parsed.invalidReason();
    if (invalid != null && "length".equals(reply.finishReason())) {
      invalid = invalid + " (the reply was cut at maxTokens)";
    }
    return new GeneratedMath(
        ref, invalid == null ? parsed.answer() : null, invalid, answer.usage());
  }

  @Override
  public SkillTags tagSkills(TagSkillsRequest request) {
    MathProblemArtifact problem = artifacts.get(request.problem(), MathProblemArtifact.class);
    RoleConfig role = request.skillTagger();
    ChatCalls.Answer answer =
        chat.call(
            request.key(),
            role,
            SparqPrompts.skillTagger(problem.problem(), request.vocabulary(), request.maxSkills()),
            1,
            request.seed(),
            SparqPrompts.skillTaggerSchema(request.vocabulary(), request.maxSkills()));
    // A refused, missing or unreadable reply names no skill: the problem is recorded but has no
    // niche.
    List<String> tagged =
        answer.replies().isEmpty() ? List.of() : GeneratorReply.skills(answer.firstText());
    Niche niche = new SkillVocabulary(request.vocabulary()).niche(tagged, request.maxSkills());
    return new SkillTags(tagged, niche, answer.usage());
  }

  @Override
  public SolveResult solve(SolveMathRequest request) {
    MathProblemArtifact problem = artifacts.get(request.problem(), MathProblemArtifact.class);
    RoleConfig role = request.solver();
    RolloutWaves.Sampled sampled =
        RolloutWaves.sample(
            chat,
            request.key(),
            role,
            SparqPrompts.solver(problem.problem()),
            request.rollouts(),
            request.seed(),
            request.waves(),
            (replies, asked) -> settled(request, replies, asked));
    ChatCalls.Answer answer = sampled.answer();
    // Only rollouts that exist are kept and scored; a missing one is recorded with its reason and
    // is neither right nor wrong.
    List<String> texts = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    List<SamplingRecord> sampling = new ArrayList<>();
    for (ChatCalls.Reply reply : answer.replies()) {
      texts.add(reply.text());
      answers.add(AnswerExtractor.finalAnswer(reply.text()).orElse(null));
      sampling.add(reply.sampling(role));
    }
    ArtifactRef ref =
        artifacts.put(
            new MathRolloutsArtifact(
                texts,
                answers,
                sampling,
                answer.missing(),
                sampled.asked(),
                sampled.stop().name()));
    return new SolveResult(ref, texts.size(), answer.usage());
  }

  /**
   * SPARQ's rule: stop once the solve rate's interval lies wholly inside or outside [T_l, T_u],
   * never below the fewest rollouts a solve rate may stand on.
   */
  private static StopReason settled(
      SolveMathRequest request, List<ChatCalls.Reply> replies, int asked) {
    SparqConfig sparq = request.sparq();
    List<String> texts = replies.stream().map(ChatCalls.Reply::text).toList();
    int correct = SolveRate.of(texts, request.referenceAnswer(), sparq.answerMatcher()).correct();
    int minimum = Math.max(1, Math.min(sparq.minSolverReplies(), request.rollouts()));
    return BandStopping.decide(
        correct,
        texts.size(),
        asked,
        request.rollouts(),
        minimum,
        sparq.solveRateLower(),
        sparq.solveRateUpper(),
        request.waves().confidenceZ());
  }
}
