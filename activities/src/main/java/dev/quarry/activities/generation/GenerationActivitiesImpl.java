package dev.quarry.activities.generation;

import dev.quarry.activities.concepts.SeedRepository;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.ActivityArtifacts;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.ProblemArtifact;
import dev.quarry.core.artifacts.RolloutsArtifact;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.artifacts.TestInputsArtifact;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.CodeExtractor;
import dev.quarry.core.prompts.Message;
import dev.quarry.core.prompts.PromptTemplates;
import dev.quarry.core.prompts.TestInputParser;
import dev.quarry.core.seeds.SeedProblem;
import dev.quarry.workflows.TokenUsage;
import dev.quarry.workflows.activities.GenerateProblemsRequest;
import dev.quarry.workflows.activities.GeneratedProblem;
import dev.quarry.workflows.activities.GeneratedProblems;
import dev.quarry.workflows.activities.GenerationActivities;
import dev.quarry.workflows.activities.SolveRequest;
import dev.quarry.workflows.activities.SolveResult;
import dev.quarry.workflows.activities.TestInputsRequest;
import dev.quarry.workflows.activities.TestInputsResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The LLM stages of a round: candidate problems, test inputs, solver rollouts. Every reply goes
 * to the artifact store; workflows get references. A request the endpoint refuses for a bad
 * request (400) makes that candidate invalid with the reason; a refused key or model (401, 403,
 * 404) fails the run, since no retry or other candidate can fix it.
 */
public final class GenerationActivitiesImpl implements GenerationActivities {
  private final ChatCalls chat;
  private final ActivityArtifacts artifacts;
  private final SeedRepository seeds;

  public GenerationActivitiesImpl(ChatModel model, FileArtifactStore store, SeedRepository seeds) {
    this.chat = new ChatCalls(model);
    this.artifacts = new ActivityArtifacts(store);
    this.seeds = seeds;
  }

  @Override
  public GeneratedProblems generateProblems(GenerateProblemsRequest request) {
    List<SeedProblem> examples = new ArrayList<>();
    for (String id : request.prompt().fewShotSeedIds()) {
      seeds.byId(request.seeds(), id).ifPresent(examples::add);
    }
    List<Message> prompt = PromptTemplates.generator(request.prompt().concepts(), examples);
    RoleConfig role = request.generator();
    // A refused request (400, e.g. a prompt over the model's context) makes every candidate
    // invalid with that reason; the run goes on.
    ChatCalls.Answer answer = chat.call(request.key(), role, prompt, request.candidates(), request.seed(), null);
    ChatModel.ChatReply reply = answer.replyOrEmpty();
    List<GeneratedProblem> problems = new ArrayList<>();
    for (int i = 0; i < request.candidates(); i++) {
      String statement = i < reply.choices().size() ? reply.choices().get(i).strip() : "";
      SamplingRecord sampling = sampling(role, request.seed(), i);
      ArtifactRef ref =
          artifacts.put(new ProblemArtifact(prompt, statement, sampling, request.generatorVersion()));
      String invalid =
          answer.refused() ? "generator request rejected: " + answer.rejection()
              : statement.isEmpty() ? "generator wrote an empty problem" : null;
      problems.add(new GeneratedProblem(i, ref, invalid));
    }
    return new GeneratedProblems(problems, usage(reply));
  }

  @Override
  public TestInputsResult writeTestInputs(TestInputsRequest request) {
    ProblemArtifact problem = artifacts.get(request.problem(), ProblemArtifact.class);
    RoleConfig role = request.testWriter();
    ChatCalls.Answer answer =
        chat.call(
            request.key(),
            role,
            PromptTemplates.testWriter(problem.statement(), request.count()),
            1,
            request.seed(),
            PromptTemplates.testInputsSchema(request.count()));
    if (answer.refused()) {
      return new TestInputsResult(
          null, 0, "test writer request rejected: " + answer.rejection(), TokenUsage.ZERO);
    }
    ChatModel.ChatReply reply = answer.reply();
    String raw = reply.choices().isEmpty() ? "" : reply.choices().get(0);
    Optional<List<String>> inputs = TestInputParser.parse(raw, request.count());
    if (inputs.isEmpty()) {
      return new TestInputsResult(
          null, 0, "test writer gave no parseable inputs", usage(reply));
    }
    ArtifactRef ref =
        artifacts.put(new TestInputsArtifact(inputs.get(), raw, sampling(role, request.seed(), 0)));
    return new TestInputsResult(ref, inputs.get().size(), null, usage(reply));
  }

  @Override
  public SolveResult solve(SolveRequest request) {
    ProblemArtifact problem = artifacts.get(request.problem(), ProblemArtifact.class);
    RoleConfig role = request.solver();
    ChatCalls.Answer answer =
        chat.call(
            request.key(),
            role,
            PromptTemplates.solver(problem.statement(), request.language()),
            request.rollouts(),
            request.seed(),
            null);
    List<String> raw = answer.replyOrEmpty().choices();
    List<String> programs = new ArrayList<>();
    List<SamplingRecord> sampling = new ArrayList<>();
    for (int i = 0; i < request.rollouts(); i++) {
      // A missing choice becomes an empty program: it runs, prints nothing, and is recorded.
      programs.add(i < raw.size() ? CodeExtractor.program(raw.get(i)) : "");
      sampling.add(sampling(role, request.seed(), i));
    }
    ArtifactRef ref = artifacts.put(new RolloutsArtifact(programs, raw, sampling));
    return new SolveResult(
        ref, programs.size(), answer.refused() ? TokenUsage.ZERO : usage(answer.reply()));
  }

  private static SamplingRecord sampling(RoleConfig role, long seed, int choice) {
    return new SamplingRecord(
        role.model(), role.temperature(), role.topP(), role.maxTokens(), role.stop(), seed + choice);
  }

  private static TokenUsage usage(ChatModel.ChatReply reply) {
    return new TokenUsage(reply.promptTokens(), reply.completionTokens(), 1);
  }

}
