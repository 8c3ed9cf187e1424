package dev.quarry.workflows;

import dev.quarry.core.sparq.Niche;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.activities.SolveResult;
import dev.quarry.workflows.sparq.ArchiveUpdate;
import dev.quarry.workflows.sparq.GenerateMathRequest;
import dev.quarry.workflows.sparq.GeneratedMath;
import dev.quarry.workflows.sparq.PrepareRoundRequest;
import dev.quarry.workflows.sparq.PreparedRound;
import dev.quarry.workflows.sparq.ScoreSolveRateRequest;
import dev.quarry.workflows.sparq.SkillTags;
import dev.quarry.workflows.sparq.SolveMathRequest;
import dev.quarry.workflows.sparq.SolveRateScore;
import dev.quarry.workflows.sparq.SparqActivities;
import dev.quarry.workflows.sparq.SparqLlmActivities;
import dev.quarry.workflows.sparq.SparqParent;
import dev.quarry.workflows.sparq.SparqProblemRecord;
import dev.quarry.workflows.sparq.SparqShard;
import dev.quarry.workflows.sparq.SparqShardRequest;
import dev.quarry.workflows.sparq.TagSkillsRequest;
import dev.quarry.workflows.sparq.UpdateArchiveRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deterministic stand-ins for SPARQ's activities. With K rollouts, prompt I's problem is solved by
 * (I mod (K+1)) of them; a prompt with I ≡ 2 (mod 5) gets no reference answer and is invalid.
 */
final class FakeSparqActivities implements SparqActivities, SparqLlmActivities {
  final Map<String, SparqProblemRecord> records = new ConcurrentHashMap<>();
  final List<UpdateArchiveRequest> archiveUpdates = Collections.synchronizedList(new ArrayList<>());
  final List<PrepareRoundRequest> prepared = Collections.synchronizedList(new ArrayList<>());

  static int promptOf(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
  }

  @Override
  public PreparedRound prepareRound(PrepareRoundRequest request) {
    prepared.add(request);
    List<SparqParent> parents = new ArrayList<>();
    int first = request.firstParent() == null ? 0 : request.firstParent();
    int end =
        request.parents() == null ? request.config().promptsPerRound() : first + request.parents();
    for (int i = first; i < end; i++) {
      parents.add(
          new SparqParent(
              i, "m00" + (i % 3), Niche.of("algebra"), FakeActivities.ref("seed-" + (i % 3))));
    }
    return new PreparedRound(parents, List.of("algebra", "counting", "geometry"), 3, 1);
  }

  @Override
  public GeneratedMath generateProblem(GenerateMathRequest request) {
    boolean noAnswer = promptOf(request.key()) % 5 == 2;
    return new GeneratedMath(
        FakeActivities.ref(request.key() + "/problem"),
        noAnswer ? null : "42",
        noAnswer ? "generator gave no final answer" : null,
        new TokenUsage(80, 120, 1));
  }

  @Override
  public SkillTags tagSkills(TagSkillsRequest request) {
    String skill = request.vocabulary().get(promptOf(request.key()) % request.vocabulary().size());
    return new SkillTags(List.of(skill), Niche.of(skill), new TokenUsage(30, 5, 1));
  }

  @Override
  public SolveResult solve(SolveMathRequest request) {
    return new SolveResult(
        FakeActivities.ref(request.key() + "/rollouts"),
        request.rollouts(),
        new TokenUsage(50, 200, 1));
  }

  @Override
  public SolveRateScore score(ScoreSolveRateRequest request) {
    int k = request.sparq().rollouts();
    int correct = promptOf(request.key()) % (k + 1);
    double sr = (double) correct / k;
    return new SolveRateScore(correct, k, k, sr, request.sparq().qualityBand().quality(sr));
  }

  @Override
  public void recordProblem(SparqProblemRecord record) {
    records.put(record.key(), record);
  }

  @Override
  public ArchiveUpdate updateArchive(UpdateArchiveRequest request) {
    archiveUpdates.add(request);
    return new ArchiveUpdate(0, 0, 0, 0, 3, 1, "/data/archive.json");
  }

  @Override
  public SparqShard writeShard(SparqShardRequest request) {
    int rows = 0;
    double sum = 0;
    for (int i = 0; i < request.prompts(); i++) {
      SparqProblemRecord r = records.get(Ids.prompt(request.runId(), request.round(), i));
      if (r.valid() && r.score().quality() > 0) {
        rows++;
        sum += r.score().quality();
      }
    }
    String base = "/data/" + request.runId() + "/round-" + request.round();
    return new SparqShard(
        new ShardResult(
            base + ".jsonl",
            base + ".candidates.jsonl",
            base + ".rft.jsonl",
            rows,
            request.prompts()),
        rows == 0 ? 0 : sum / rows);
  }
}
