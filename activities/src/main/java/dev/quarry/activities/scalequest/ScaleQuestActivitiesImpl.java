package dev.quarry.activities.scalequest;

import dev.quarry.activities.generation.ChatCalls;
import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.generation.RolloutWaves;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.ActivityArtifacts;
import dev.quarry.core.adaptive.BandStopping;
import dev.quarry.core.adaptive.StopReason;
import dev.quarry.core.answers.AnswerExtractor;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.scalequest.BestOfN;
import dev.quarry.core.scalequest.ChatCallArtifact;
import dev.quarry.core.scalequest.DpoPair;
import dev.quarry.core.scalequest.FailRate;
import dev.quarry.core.scalequest.LanguageCheck;
import dev.quarry.core.scalequest.QuestionArtifact;
import dev.quarry.core.scalequest.RewardScore;
import dev.quarry.core.scalequest.ScaleQuestPrompts;
import dev.quarry.core.scalequest.ScoredResponsesArtifact;
import dev.quarry.core.scalequest.SolvabilityVerdict;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.TokenUsage;
import dev.quarry.workflows.scalequest.DifficultyOutcome;
import dev.quarry.workflows.scalequest.DifficultyRequest;
import dev.quarry.workflows.scalequest.GeneratedQuestion;
import dev.quarry.workflows.scalequest.JudgeOutcome;
import dev.quarry.workflows.scalequest.JudgeRequest;
import dev.quarry.workflows.scalequest.QuestionRequest;
import dev.quarry.workflows.scalequest.ResponsesOutcome;
import dev.quarry.workflows.scalequest.ResponsesRequest;
import dev.quarry.workflows.scalequest.RewriteOutcome;
import dev.quarry.workflows.scalequest.RewriteRequest;
import dev.quarry.workflows.scalequest.ScaleQuestActivities;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * ScaleQuest's LLM stages. Every prompt and reply goes to the artifact store as lineage; the
 * workflow gets references and the small facts its filters decide on.
 *
 * <p>Reward model protocol: an LLM judge on the rewardModel role's OpenAI-compatible chat endpoint,
 * asked for {@code {"score": 0..10}} under a JSON schema (servers that support response_format
 * constrain decoding; the reply is parsed either way). This works with every server Quarry
 * supports, including the embedded one; a dedicated reward model (vLLM's pooling API) is not wired
 * yet.
 */
public final class ScaleQuestActivitiesImpl implements ScaleQuestActivities {
  private final ChatCalls chat;
  private final ActivityArtifacts artifacts;

  public ScaleQuestActivitiesImpl(ChatModel model, FileArtifactStore store) {
    this.chat = new ChatCalls(model);
    this.artifacts = new ActivityArtifacts(store);
  }

  @Override
  public GeneratedQuestion generateQuestion(QuestionRequest request) {
    RoleConfig role = request.generator();
    LinkedHashSet<String> stops = new LinkedHashSet<>(role.stop());
    stops.addAll(request.stop());
    List<String> stop = List.copyOf(stops);
    ChatCalls.Answer call =
        chat.complete(request.key(), role, request.prefix(), stop, 1, request.seed());
    if (call.replies().isEmpty()) {
      // No reply, no question: nothing is stored that the generator did not write.
      return new GeneratedQuestion(null, null, "generator " + call.why(), call.usage());
    }
    ChatCalls.Reply reply = call.replies().get(0);
    String text = reply.text().strip();
    SamplingRecord sampling = reply.sampling(role, stop);
    ArtifactRef ref =
        artifacts.put(
            new QuestionArtifact(request.prefix(), text, sampling, request.generatorVersion()));
    LanguageCheck language =
        LanguageCheck.of(text, request.minLatinShare(), request.minEnglishWordShare());
    return new GeneratedQuestion(ref, language, null, call.usage());
  }

  @Override
  public JudgeOutcome judgeSolvability(JudgeRequest request) {
    String question = question(request.question());
    RoleConfig role = request.judge();
    List<Message> prompt = ScaleQuestPrompts.judge(question);
    ChatCalls.Answer call = chat.call(request.key(), role, prompt, 1, request.seed(), null);
    if (call.replies().isEmpty()) {
      return new JudgeOutcome(
          SolvabilityVerdict.NO_VERDICT,
          null,
          call.refused() ? call.rejection() : call.why(),
          call.usage());
    }
    ChatCalls.Reply reply = call.replies().get(0);
    ArtifactRef ref =
        artifacts.put(
            new ChatCallArtifact(
                prompt, List.of(reply.text()), null, List.of(sampling(role, reply))));
    return new JudgeOutcome(SolvabilityVerdict.parse(reply.text()), ref, null, call.usage());
  }

  @Override
  public DifficultyOutcome measureDifficulty(DifficultyRequest request) {
    String question = question(request.question());
    RoleConfig role = request.solver();
    List<Message> prompt = ScaleQuestPrompts.solver(question);
    RolloutWaves.Sampled sampled =
        RolloutWaves.sample(
            chat,
            request.key(),
            role,
            prompt,
            request.samples(),
            request.seed(),
            request.waves(),
            (replies, asked) -> settled(request, replies, asked));
    ChatCalls.Answer call = sampled.answer();
    // Only samples that exist are in the fail rate; one that exists without a final answer has
    // failed, one that never came is recorded as missing and counts for nothing.
    List<String> replies = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    List<SamplingRecord> sampling = new ArrayList<>();
    for (ChatCalls.Reply reply : call.replies()) {
      replies.add(reply.text());
      answers.add(AnswerExtractor.finalAnswer(reply.text()).orElse(null));
      sampling.add(sampling(role, reply));
    }
    ArtifactRef ref =
        artifacts.put(new ChatCallArtifact(prompt, replies, answers, sampling, call.missing()));
    FailRate rate =
        FailRate.byMajority(
            answers, call.missing().size(), Math.min(request.minSamples(), request.samples()));
    return new DifficultyOutcome(
        rate, ref, call.rejection(), call.usage(), sampled.asked(), sampled.stop().name());
  }

  /**
   * ScaleQuest's rule: stop once the fail rate's interval lies wholly on one side of the band's
   * edges. The failures are the samples off the majority; the majority's count can only grow, by at
   * most one a sample, so the fail rates still reachable are those of a rate with that many
   * failures so far (exact), and Wilson's interval is on the current majority (at confidence).
   */
  private static StopReason settled(
      DifficultyRequest request, List<ChatCalls.Reply> replies, int asked) {
    List<String> answers = new ArrayList<>();
    for (ChatCalls.Reply reply : replies) {
      answers.add(AnswerExtractor.finalAnswer(reply.text()).orElse(null));
    }
    FailRate rate = FailRate.byMajority(answers, 0, 1);
    if (rate.answered() == 0) {
      return StopReason.CONTINUE; // no majority yet: stopping now would make the question invalid
    }
    int minimum = Math.max(1, Math.min(request.minSamples(), request.samples()));
    return BandStopping.decide(
        rate.samples() - rate.agreeing(),
        rate.samples(),
        asked,
        request.samples(),
        minimum,
        request.minFailRate(),
        request.maxFailRate(),
        request.waves().confidenceZ());
  }

  @Override
  public ResponsesOutcome bestOfNResponses(ResponsesRequest request) {
    String question = question(request.question());
    RoleConfig solver = request.solver();
    List<Message> prompt = ScaleQuestPrompts.solver(question);
    ChatCalls.Answer call =
        chat.call(request.key(), solver, prompt, request.responses(), request.seed(), null);
    if (call.refused()) {
      return new ResponsesOutcome(
          0, List.of(), -1, false, null, null, call.rejection(), call.usage(), TokenUsage.ZERO);
    }
    List<String> responses = call.texts();
    List<SamplingRecord> sampling = new ArrayList<>();
    for (ChatCalls.Reply reply : call.replies()) {
      sampling.add(sampling(solver, reply));
    }
    RoleConfig reward = request.rewardModel();
    long rewardSeed = SeedMixer.derive(request.seed(), 1);
    List<String> rewardReplies = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    TokenUsage rewardUsage = TokenUsage.ZERO;
    SamplingRecord rewardSampling =
        new SamplingRecord(
            reward.model(),
            reward.temperature(),
            reward.topP(),
            reward.maxTokens(),
            reward.stop(),
            rewardSeed);
    for (String response : responses) {
      ChatCalls.Answer judged =
          chat.call(
              request.key(),
              reward,
              ScaleQuestPrompts.reward(question, response),
              1,
              rewardSeed,
              ScaleQuestPrompts.REWARD_SCHEMA);
      rewardUsage = rewardUsage.plus(judged.usage());
      if (judged.replies().isEmpty()) {
        rewardReplies.add("reward " + judged.why());
        scores.add(null);
        continue;
      }
      rewardReplies.add(judged.firstText());
      var score = RewardScore.parse(judged.firstText(), ScaleQuestPrompts.REWARD_MAX);
      scores.add(score.isPresent() ? score.getAsDouble() : null);
    }
    int best = BestOfN.best(scores);
    Optional<String> answer =
        best < 0 ? Optional.empty() : AnswerExtractor.finalAnswer(responses.get(best));
    ArtifactRef ref =
        artifacts.put(
            new ScoredResponsesArtifact(
                prompt,
                responses,
                sampling,
                rewardReplies,
                scores,
                rewardSampling,
                call.missing()));
    return new ResponsesOutcome(
        responses.size(),
        scores,
        best,
        answer.isPresent(),
        answer.orElse(null),
        ref,
        null,
        call.usage(),
        rewardUsage);
  }

  @Override
  public RewriteOutcome rewriteQuestion(RewriteRequest request) {
    String question = question(request.question());
    RoleConfig role = request.rewriter();
    List<Message> prompt = ScaleQuestPrompts.rewrite(question, request.direction());
    ChatCalls.Answer call = chat.call(request.key(), role, prompt, 1, request.seed(), null);
    if (call.replies().isEmpty()) {
      return new RewriteOutcome(request.direction(), null, "rewriter " + call.why(), call.usage());
    }
    ChatCalls.Reply reply = call.replies().get(0);
    String rewrite = reply.text().strip();
    ArtifactRef ref =
        artifacts.put(
            new ChatCallArtifact(prompt, List.of(rewrite), null, List.of(sampling(role, reply))));
    String unusable = DpoPair.unusable(question, rewrite).orElse(null);
    LanguageCheck language =
        LanguageCheck.of(rewrite, request.minLatinShare(), request.minEnglishWordShare());
    if (unusable == null && !language.english()) {
      unusable = "rewrite is not English: " + language.reason();
    }
    return new RewriteOutcome(request.direction(), ref, unusable, call.usage());
  }

  private String question(ArtifactRef ref) {
    return artifacts.get(ref, QuestionArtifact.class).question();
  }

  private static SamplingRecord sampling(RoleConfig role, ChatCalls.Reply reply) {
    return reply.sampling(role);
  }
}
