package dev.quarry.workflows;

import dev.quarry.core.scalequest.FailRate;
import dev.quarry.core.scalequest.LanguageCheck;
import dev.quarry.core.scalequest.SolvabilityVerdict;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.scalequest.DifficultyOutcome;
import dev.quarry.workflows.scalequest.DifficultyRequest;
import dev.quarry.workflows.scalequest.GeneratedQuestion;
import dev.quarry.workflows.scalequest.JudgeOutcome;
import dev.quarry.workflows.scalequest.JudgeRequest;
import dev.quarry.workflows.scalequest.QuestionRecord;
import dev.quarry.workflows.scalequest.QuestionRequest;
import dev.quarry.workflows.scalequest.ResponsesOutcome;
import dev.quarry.workflows.scalequest.ResponsesRequest;
import dev.quarry.workflows.scalequest.RewriteOutcome;
import dev.quarry.workflows.scalequest.RewriteRequest;
import dev.quarry.workflows.scalequest.ScaleQuestActivities;
import dev.quarry.workflows.scalequest.ScaleQuestDatasetActivities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted ScaleQuest stages, by prompt index: 0 passes everything; 1 is not English; 2 is judged
 * unsolvable; 3 is too easy (fail rate 0); 4's best response states no answer; 5 is empty.
 * Questions are stored as refs named after their key, so stages find the prompt index in them.
 */
final class FakeScaleQuestActivities implements ScaleQuestActivities, ScaleQuestDatasetActivities {
  final Map<String, QuestionRecord> records = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** The prompt index of a stage's key (keys are RUN/round-N/prompt-I). */
  private static int promptOf(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
  }

  private void count(String stage) {
    calls.computeIfAbsent(stage, s -> new AtomicInteger()).incrementAndGet();
  }

  int calls(String stage) {
    AtomicInteger n = calls.get(stage);
    return n == null ? 0 : n.get();
  }

  @Override
  public GeneratedQuestion generateQuestion(QuestionRequest request) {
    count("generate");
    int p = promptOf(request.key());
    TokenUsage usage = new TokenUsage(20, 30, 1);
    if (p == 5) {
      return new GeneratedQuestion(
          FakeActivities.ref(request.key() + "/empty"),
          null,
          "generator wrote an empty question",
          usage);
    }
    LanguageCheck language =
        p == 1
            ? new LanguageCheck(false, 0.2, 0.0, "Latin-script letters 0.20 < 0.90")
            : new LanguageCheck(true, 1.0, 0.4, null);
    return new GeneratedQuestion(
        FakeActivities.ref(request.key() + "/question"), language, null, usage);
  }

  @Override
  public JudgeOutcome judgeSolvability(JudgeRequest request) {
    count("judge");
    return new JudgeOutcome(
        promptOf(request.key()) == 2 ? SolvabilityVerdict.UNSOLVABLE : SolvabilityVerdict.SOLVABLE,
        FakeActivities.ref(request.key() + "/judge"),
        null,
        new TokenUsage(40, 10, 1));
  }

  @Override
  public DifficultyOutcome measureDifficulty(DifficultyRequest request) {
    count("difficulty");
    FailRate rate =
        promptOf(request.key()) == 3
            ? new FailRate(0.0, request.samples(), request.samples(), request.samples(), "2")
            : new FailRate(0.5, request.samples(), request.samples(), request.samples() / 2, "7");
    return new DifficultyOutcome(
        rate, FakeActivities.ref(request.key() + "/samples"), null, new TokenUsage(30, 80, 1));
  }

  @Override
  public ResponsesOutcome bestOfNResponses(ResponsesRequest request) {
    count("responses");
    boolean answered = promptOf(request.key()) != 4;
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < request.responses(); i++) {
      scores.add(i == 1 ? 9.0 : 3.0);
    }
    return new ResponsesOutcome(
        request.responses(),
        scores,
        1,
        answered,
        answered ? "7" : null,
        FakeActivities.ref(request.key() + "/responses"),
        null,
        new TokenUsage(30, 100, 1),
        new TokenUsage(60, 5, request.responses()));
  }

  @Override
  public RewriteOutcome rewriteQuestion(RewriteRequest request) {
    count("rewrite");
    return new RewriteOutcome(
        request.direction(),
        FakeActivities.ref(request.key() + "/rewrite"),
        null,
        new TokenUsage(40, 40, 1));
  }

  @Override
  public void recordQuestion(QuestionRecord record) {
    records.put(Ids.prompt(record.runId(), record.round(), record.promptIndex()), record);
  }

  @Override
  public ShardResult writeShard(ShardRequest request) {
    int rows = 0;
    for (int i = 0; i < request.prompts(); i++) {
      if (records.get(Ids.prompt(request.runId(), request.round(), i)).kept()) {
        rows++;
      }
    }
    String base = "/data/" + request.runId() + "/round-" + request.round();
    return new ShardResult(
        base + ".jsonl", base + ".candidates.jsonl", base + ".rft.jsonl", rows, request.prompts());
  }
}
