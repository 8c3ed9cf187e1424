package dev.quarry.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Set;

/** What the Temporal namespace offers for visibility; runs on the workflows task queue. */
@ActivityInterface
public interface VisibilityActivities {
  /**
   * Which of Quarry's search attributes the namespace has registered. A workflow that upserts an
   * unregistered one fails its task over and over, so workflows ask first and set only these.
   */
  @ActivityMethod(name = "RegisteredSearchAttributes")
  Set<String> registeredSearchAttributes();
}
