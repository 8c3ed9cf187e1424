package dev.quarry.activities.scalequest;

import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.ActivityArtifacts;
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
 * <p>Reward model protocol: an LLM judge on the rewardModel role's OpenAI-compatible chat
 * endpoint, asked for {@code {"score": 0..10}} under a JSON schema (servers that support
 * response_format constrain decoding; the reply is parsed either way). This works with every
 * server Quarry supports, including the embedded one; a dedicated reward model (vLLM's pooling
 * API) is not wired yet.
 */
public final class ScaleQuestActivitiesImpl implements ScaleQuestActivities {
  private final ChatModel model;
  private final ActivityArtifacts artifacts;

  public ScaleQuestActivitiesImpl(ChatModel model, FileArtifactStore store) {
    this.model = model;
    this.artifacts = new ActivityArtifacts(store);
  }

  @Override
  public GeneratedQuestion generateQuestion(QuestionRequest request) {
    RoleConfig role = request.generator();
    LinkedHashSet<String> stops = new LinkedHashSet<>(role.stop());
    stops.addAll(request.stop());
    List<String> stop = List.copyOf(stops);
    ModelCall call =
        ModelCall.run(request.key(), role, () -> model.complete(role, request.prefix(), stop, 1, request.seed()));
    if (call.refused()) {
      return new GeneratedQuestion(null, null, "generator request rejected: " + call.rejection(), TokenUsage.ZERO);
    }
    String text = call.first().strip();
    SamplingRecord sampling =
        new SamplingRecord(role.model(), role.temperature(), role.topP(), role.maxTokens(), stop, request.seed());
    ArtifactRef ref = artifacts.put(new QuestionArtifact(request.prefix(), text, sampling, request.generatorVersion()));
    if (text.isEmpty()) {
      return new GeneratedQuestion(ref, null, "generator wrote an empty question", usage(call));
    }
    LanguageCheck language = LanguageCheck.of(text, request.minLatinShare(), request.minEnglishWordShare());
    return new GeneratedQuestion(ref, language, null, usage(call));
  }

  @Override
  public JudgeOutcome judgeSolvability(JudgeRequest request) {
    String question = question(request.question());
    RoleConfig role = request.judge();
    List<Message> prompt = ScaleQuestPrompts.judge(question);
    ModelCall call = chat(request.key(), role, prompt, 1, request.seed(), null);
    if (call.refused()) {
      return new JudgeOutcome(SolvabilityVerdict.NO_VERDICT, null, call.rejection(), TokenUsage.ZERO);
    }
    String reply = call.first();
    ArtifactRef ref =
        artifacts.put(new ChatCallArtifact(prompt, List.of(reply), null, List.of(sampling(role, request.seed(), 0))));
    return new JudgeOutcome(SolvabilityVerdict.parse(reply), ref, null, usage(call));
  }

  @Override
  public DifficultyOutcome measureDifficulty(DifficultyRequest request) {
    String question = question(request.question());
    RoleConfig role = request.solver();
    List<Message> prompt = ScaleQuestPrompts.solver(question);
    ModelCall call = chat(request.key(), role, prompt, request.samples(), request.seed(), null);
    List<String> replies = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    List<SamplingRecord> sampling = new ArrayList<>();
    for (int i = 0; i < request.samples(); i++) {
      // A missing choice is a sample without an answer: it counts as failed, and is recorded.
      String reply = i < call.choices().size() ? call.choices().get(i) : "";
      replies.add(reply);
      answers.add(AnswerExtractor.finalAnswer(reply).orElse(null));
      sampling.add(sampling(role, request.seed(), i));
    }
    ArtifactRef ref = artifacts.put(new ChatCallArtifact(prompt, replies, answers, sampling));
    return new DifficultyOutcome(
        FailRate.byMajority(answers), ref, call.rejection(), call.refused() ? TokenUsage.ZERO : usage(call));
  }

  @Override
  public ResponsesOutcome bestOfNResponses(ResponsesRequest request) {
    String question = question(request.question());
    RoleConfig solver = request.solver();
    List<Message> prompt = ScaleQuestPrompts.solver(question);
    ModelCall call = chat(request.key(), solver, prompt, request.responses(), request.seed(), null);
    if (call.refused()) {
      return new ResponsesOutcome(0, List.of(), -1, false, null, null, call.rejection(), TokenUsage.ZERO, TokenUsage.ZERO);
    }
    List<String> responses = new ArrayList<>(call.choices());
    List<SamplingRecord> sampling = new ArrayList<>();
    for (int i = 0; i < responses.size(); i++) {
      sampling.add(sampling(solver, request.seed(), i));
    }
    RoleConfig reward = request.rewardModel();
    long rewardSeed = SeedMixer.derive(request.seed(), 1);
    List<String> rewardReplies = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    TokenUsage rewardUsage = TokenUsage.ZERO;
    for (String response : responses) {
      ModelCall judged =
          chat(request.key(), reward, ScaleQuestPrompts.reward(question, response), 1, rewardSeed,
              ScaleQuestPrompts.REWARD_SCHEMA);
      if (judged.refused()) {
        rewardReplies.add("reward request rejected: " + judged.rejection());
        scores.add(null);
        continue;
      }
      rewardUsage = rewardUsage.plus(usage(judged));
      rewardReplies.add(judged.first());
      var score = RewardScore.parse(judged.first(), ScaleQuestPrompts.REWARD_MAX);
      scores.add(score.isPresent() ? score.getAsDouble() : null);
    }
    int best = BestOfN.best(scores);
    Optional<String> answer = best < 0 ? Optional.empty() : AnswerExtractor.finalAnswer(responses.get(best));
    ArtifactRef ref =
        artifacts.put(new ScoredResponsesArtifact(prompt, responses, sampling, rewardReplies, scores, sampling(reward, rewardSeed, 0)));
    return new ResponsesOutcome(
        responses.size(), scores, best, answer.isPresent(), answer.orElse(null), ref, null, usage(call), rewardUsage);
  }

  @Override
  public RewriteOutcome rewriteQuestion(RewriteRequest request) {
    String question = question(request.question());
    RoleConfig role = request.rewriter();
    List<Message> prompt = ScaleQuestPrompts.rewrite(question, request.direction());
    ModelCall call = chat(request.key(), role, prompt, 1, request.seed(), null);
    if (call.refused()) {
      return new RewriteOutcome(request.direction(), null, "rewriter request rejected: " + call.rejection(), TokenUsage.ZERO);
    }
    String rewrite = call.first().strip();
    ArtifactRef ref =
        artifacts.put(new ChatCallArtifact(prompt, List.of(rewrite), null, List.of(sampling(role, request.seed(), 0))));
    String unusable = DpoPair.unusable(question, rewrite).orElse(null);
    LanguageCheck language = LanguageCheck.of(rewrite, request.minLatinShare(), request.minEnglishWordShare());
    if (unusable == null && !language.english()) {
      unusable = "rewrite is not English: " + language.reason();
    }
    return new RewriteOutcome(request.direction(), ref, unusable, usage(call));
  }

  private ModelCall chat(String key, RoleConfig role, List<Message> messages, int n, long seed, String schema) {
    return ModelCall.run(key, role, () -> model.chat(role, messages, n, seed, schema));
  }

  private String question(ArtifactRef ref) {
    return artifacts.get(ref, QuestionArtifact.class).question();
  }

  private static SamplingRecord sampling(RoleConfig role, long seed, int choice) {
    return new SamplingRecord(
        role.model(), role.temperature(), role.topP(), role.maxTokens(), role.stop(), seed + choice);
  }

  private static TokenUsage usage(ModelCall call) {
    return new TokenUsage(call.reply().promptTokens(), call.reply().completionTokens(), 1);
  }
}
