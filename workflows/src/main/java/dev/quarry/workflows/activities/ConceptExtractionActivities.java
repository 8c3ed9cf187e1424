package dev.quarry.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * QueST's concept extraction: the conceptExtractor role lists each seed problem's concepts. Runs on
 * the llm task queue, whose workers hold the endpoints.
 */
@ActivityInterface
public interface ConceptExtractionActivities {
  @ActivityMethod(name = "ExtractConcepts")
  ExtractConceptsResult extractConcepts(ExtractConceptsRequest request);
}
