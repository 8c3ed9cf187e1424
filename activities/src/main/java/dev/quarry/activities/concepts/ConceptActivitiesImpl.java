package dev.quarry.activities.concepts;

import dev.quarry.core.concepts.ConceptGraph;
import dev.quarry.core.concepts.ConceptWalk;
import dev.quarry.core.concepts.FewShotSelector;
import dev.quarry.core.seeds.SeedProblem;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.activities.ConceptActivities;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.SamplePromptsRequest;
import java.util.ArrayList;
import java.util.List;

/** Samples concept combinations by QueST's random walk; deterministic for a given seed. */
public final class ConceptActivitiesImpl implements ConceptActivities {
  private final SeedRepository seeds;

  public ConceptActivitiesImpl(SeedRepository seeds) {
    this.seeds = seeds;
  }

  @Override
  public List<PromptSpec> samplePrompts(SamplePromptsRequest request) {
    ConceptGraph graph = seeds.graph(request.seeds(), request.concepts().alpha());
    List<SeedProblem> problems = seeds.seeds(request.seeds()).problems();
    ConceptWalk walk = new ConceptWalk(graph, request.concepts().maxSteps());
    List<PromptSpec> prompts = new ArrayList<>(request.count());
    for (int i = 0; i < request.count(); i++) {
      List<String> concepts = walk.walk(SeedMixer.derive(request.seed(), i));
      List<String> fewShot =
          FewShotSelector.nearest(problems, concepts, request.concepts().fewShot()).stream()
              .map(SeedProblem::id)
              .toList();
      prompts.add(new PromptSpec(i, concepts, fewShot));
    }
    return prompts;
  }
}
