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
 * The LLM stages of a round: candidate problems, test inputs, solver rollouts. Every reply goes to
 * the artifact store; workflows get references. A request the endpoint refuses for a bad request
 * (400) makes that candidate invalid with the reason; a refused key or model (401, 403, 404) fails
 * the run, since no retry or other candidate can fix it.
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
    // invalid with that reason; the run goes on. A candidate whose reply never came is invalid
    // with the reason it is missing: it has no statement, so nothing is stored for it.
    ChatCalls.Answer answer =
        chat.call(request.key(), role, prompt, request.candidates(), request.seed(), null);
    List<GeneratedProblem> problems = new ArrayList<>();
    for (int i = 0; i < answer.replies().size(); i++) {
      ChatCalls.Reply reply = answer.replies().get(i);
      ArtifactRef ref =
          artifacts.put(
              new ProblemArtifact(
                  prompt, reply.text().strip(), sampling(role, reply), request.generatorVersion()));
      problems.add(new GeneratedProblem(i, ref, null));
    }
    for (String why : answer.missing()) {
      String invalid =
          answer.refused()
              ? "generator request rejected: " + answer.rejection()
              : "generator reply missing: " + why;
      problems.add(new GeneratedProblem(problems.size(), null, invalid));
    }
    return new GeneratedProblems(problems, answer.usage());
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
    if (answer.replies().isEmpty()) {
      return new TestInputsResult(null, 0, "test writer " + answer.why(), answer.usage());
    }
    ChatCalls.Reply reply = answer.replies().get(0);
    Optional<List<String>> inputs = TestInputParser.parse(reply.text(), request.count());
    if (inputs.isEmpty()) {
      return new TestInputsResult(
          null, 0, "test writer gave no parseable inputs" + truncated(reply), answer.usage());
    }
    ArtifactRef ref =
        artifacts.put(new TestInputsArtifact(inputs.get(), reply.text(), sampling(role, reply)));
    return new TestInputsResult(ref, inputs.get().size(), null, answer.usage());
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
    // Only replies that exist become programs; a missing one is recorded with its reason and
    // never run, so it cannot agree with anything.
    List<String> programs = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    List<SamplingRecord> sampling = new ArrayList<>();
    for (ChatCalls.Reply reply : answer.replies()) {
      programs.add(CodeExtractor.program(reply.text()));
      raw.add(reply.text());
      sampling.add(sampling(role, reply));
    }
    ArtifactRef ref =
        artifacts.put(new RolloutsArtifact(programs, raw, sampling, answer.missing()));
    return new SolveResult(ref, programs.size(), answer.usage());
  }

  private static SamplingRecord sampling(RoleConfig role, ChatCalls.Reply reply) {
    return reply.sampling(role);
  }

  private static String truncated(ChatCalls.Reply reply) {
    return "length".equals(reply.finishReason()) ? " (the reply was cut at maxTokens)" : "";
  }
}
