package dev.quarry.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Concept sampling: builds the concept graph over the seed set and walks it. */
@ActivityInterface
public interface ConceptActivities {
  @ActivityMethod(name = "SamplePrompts")
  List<PromptSpec> samplePrompts(SamplePromptsRequest request);
}
