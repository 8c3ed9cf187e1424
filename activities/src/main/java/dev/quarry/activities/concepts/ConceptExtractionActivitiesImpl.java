package dev.quarry.activities.concepts;

import dev.quarry.activities.generation.ChatCalls;
import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.ConceptExtractionArtifact;
import dev.quarry.core.artifacts.ConceptExtractionArtifact.SeedConcepts;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.concepts.ExtractedConcepts;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.dedup.StableHash;
import dev.quarry.core.prompts.ConceptExtractionPrompt;
import dev.quarry.core.seeds.SeedProblem;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.TokenUsage;
import dev.quarry.workflows.activities.ConceptExtractionActivities;
import dev.quarry.workflows.activities.ExtractConceptsRequest;
import dev.quarry.workflows.activities.ExtractConceptsResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Asks the conceptExtractor role for each seed problem's concepts (JSON under a schema), then
 * normalises and merges the names over the whole seed set. Each seed's call has its own seed,
 * derived from the run's and the seed's id, and responses are cached by request and seed, so a
 * retried activity or a later round asks nothing twice. A seed the endpoint refuses (400, e.g. a
 * statement over the model's context) or answers unusably keeps its given concepts, with the reason
 * recorded; a refused key or model fails the run; an endpoint that is down is retried.
 */
public final class ConceptExtractionActivitiesImpl implements ConceptExtractionActivities {
  private final ChatCalls chat;
  private final FileArtifactStore store;
  private final SeedRepository seeds;

  public ConceptExtractionActivitiesImpl(
      ChatModel model, FileArtifactStore store, SeedRepository seeds) {
    this.chat = new ChatCalls(model, "conceptExtractor");
    this.store = store;
    this.seeds = seeds;
  }

  @Override
  public ExtractConceptsResult extractConcepts(ExtractConceptsRequest request) {
    RoleConfig role = request.extractor();
    List<SeedProblem> problems = seeds.seeds(request.seeds()).problems();
    Map<String, ExtractedConcepts.Answer> answers = new LinkedHashMap<>();
    TokenUsage usage = TokenUsage.ZERO;
    for (SeedProblem seed : problems) {
      long callSeed = seedFor(request.seed(), seed.id());
      String detail = request.key() + ": concepts of seed " + seed.id();
      ChatCalls.Answer answer =
          chat.call(
              detail,
              role,
              ConceptExtractionPrompt.messages(seed.statement()),
              1,
              callSeed,
              ConceptExtractionPrompt.schema());
      usage = usage.plus(answer.usage());
      if (answer.replies().isEmpty()) {
        answers.put(seed.id(), ExtractedConcepts.Answer.failed(cut(answer.why())));
        continue;
      }
      String text = answer.firstText();
      answers.put(
          seed.id(),
          ConceptExtractionPrompt.parse(text)
              .map(ExtractedConcepts.Answer::of)
              .orElse(
                  ExtractedConcepts.Answer.failed(
                      "no {\"concepts\": [...]} in the reply: " + cut(text))));
    }
    SamplingRecord sampling =
        new SamplingRecord(
            role.model(),
            role.temperature(),
            role.topP(),
            role.maxTokens(),
            role.stop(),
            request.seed());
    ConceptExtractionArtifact artifact =
        ExtractedConcepts.assemble(request.seeds().file(), sampling, problems, answers);
    ArtifactRef ref;
    try {
      ref = store.putJson(artifact);
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
    return summary(ref, artifact, usage);
  }

  /** Keyed by the seed's id, not its position: adding a seed does not change the others' calls. */
  static long seedFor(long base, String seedId) {
    return SeedMixer.derive(base, StableHash.of(seedId));
  }

  private static ExtractConceptsResult summary(
      ArtifactRef ref, ConceptExtractionArtifact artifact, TokenUsage usage) {
    int extracted = 0;
    int fellBack = 0;
    int none = 0;
    Set<String> canonical = new TreeSet<>();
    for (SeedConcepts s : artifact.seeds()) {
      switch (s.source()) {
        case EXTRACTED -> extracted++;
        case GIVEN -> fellBack++;
        case NONE -> none++;
      }
      canonical.addAll(s.concepts());
    }
    return new ExtractConceptsResult(
        ref,
        artifact.seeds().size(),
        extracted,
        fellBack,
        none,
        artifact.rawToCanonical().size(),
        canonical.size(),
        usage);
  }

  private static String cut(String text) {
    String line = text == null ? "" : text.strip().replace('\n', ' ');
    return line.length() <= 120 ? line : line.substring(0, 120) + "…";
  }
}
