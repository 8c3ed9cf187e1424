package dev.quarry.activities.dataset;

import dev.quarry.activities.scoring.OutputMatrix;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.artifacts.ExecutionArtifact;
import dev.quarry.core.artifacts.ProblemArtifact;
import dev.quarry.core.artifacts.RolloutsArtifact;
import dev.quarry.core.artifacts.TestInputsArtifact;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.export.SftChatRow;
import dev.quarry.core.prompts.Message;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.prompt.CandidateSummary;
import dev.quarry.workflows.prompt.PromptRecord;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the JSONL rows of a round: dataset rows with full lineage, candidate rows, RFT rows. */
final class DatasetRows {
  private final FileArtifactStore store;

  DatasetRows(FileArtifactStore store) {
    this.store = store;
  }

  /** One row per candidate, valid or not, so every rejection is visible with its reason. */
  Map<String, Object> candidateRow(PromptRecord record, CandidateSummary c) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(
        "key",
        Ids.candidateKey(
            record.runId(), record.round(), record.prompt().promptIndex(), c.candidateIndex()));
    row.put("round", record.round());
    row.put("promptIndex", record.prompt().promptIndex());
    row.put("candidateIndex", c.candidateIndex());
    row.put("concepts", record.prompt().concepts());
    row.put("valid", c.valid());
    row.put("selected", c.candidateIndex() == record.selectedCandidate());
    row.put("invalidReason", c.invalidReason());
    row.put("delta", c.valid() ? c.score().delta() : null);
    row.put("verdictCounts", c.verdictCounts());
    if (c.rollouts() != null) {
      try {
        putSampling(row, store.getJson(c.rollouts(), RolloutsArtifact.class));
      } catch (IOException e) {
        throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
      }
    }
    row.put("generatorVersion", record.generatorVersion());
    return row;
  }

  /**
   * How many rollouts were asked for and why sampling stopped (docs/adaptive-rollouts.md). A
   * candidate sampled in one request of M (adaptive off, or rows from before it) asked for M.
   */
  private static void putSampling(Map<String, Object> row, RolloutsArtifact rollouts) {
    row.put(
        "rolloutsUsed",
        rollouts.rolloutsUsed() != null
            ? rollouts.rolloutsUsed()
            : rollouts.programs().size() + rollouts.missing().size());
    row.put("stopReason", rollouts.stopReason() != null ? rollouts.stopReason() : "BUDGET");
  }

  /** The dataset row of a prompt's selected (hardest valid) candidate, with full lineage. */
  Map<String, Object> datasetRow(RunConfig config, PromptRecord record, CandidateSummary c)
      throws IOException {
    ProblemArtifact problem = store.getJson(c.problem(), ProblemArtifact.class);
    TestInputsArtifact tests = store.getJson(c.tests(), TestInputsArtifact.class);
    RolloutsArtifact rollouts = store.getJson(c.rollouts(), RolloutsArtifact.class);
    ExecutionArtifact execution = store.getJson(c.execution(), ExecutionArtifact.class);
    var matrix = OutputMatrix.of(execution, execution.comparison());

    Map<String, Object> row = new LinkedHashMap<>();
    row.put(
        "key",
        Ids.candidateKey(
            record.runId(), record.round(), record.prompt().promptIndex(), c.candidateIndex()));
    row.put("runId", record.runId());
    row.put("round", record.round());
    row.put("promptIndex", record.prompt().promptIndex());
    row.put("candidateIndex", c.candidateIndex());
    row.put("method", config.method().name().toLowerCase(Locale.ROOT));
    row.put("concepts", record.prompt().concepts());
    row.put("fewShotSeedIds", record.prompt().fewShotSeedIds());
    row.put("prompt", problem.prompt());
    row.put("problem", problem.statement());
    row.put("generatorVersion", record.generatorVersion());
    Map<String, Object> sampling = new LinkedHashMap<>();
    sampling.put("generator", problem.sampling());
    sampling.put("testWriter", tests.sampling());
    sampling.put("solver", rollouts.sampling());
    row.put("sampling", sampling);
    Map<String, Object> testBlock = new LinkedHashMap<>();
    testBlock.put("inputs", tests.inputs());
    // QueST labels each input with the solvers' majority output.
    testBlock.put("expectedOutputs", OutputMatrix.majority(matrix));
    row.put("tests", testBlock);
    Map<String, Object> rolloutBlock = new LinkedHashMap<>();
    rolloutBlock.put("count", rollouts.programs().size());
    // Rollouts asked for but never returned, with the reason: they are in no denominator.
    rolloutBlock.put("missing", rollouts.missing());
    rolloutBlock.put("artifact", c.rollouts().sha256());
    row.put("rollouts", rolloutBlock);
    putSampling(row, rollouts);
    row.put("verdictCounts", c.verdictCounts());
    row.put("delta", c.score().delta());
    row.put("validInputs", c.score().validInputs());
    row.put("totalInputs", c.score().totalInputs());
    row.put("validExecutions", c.score().validExecutions());
    row.put("totalExecutions", c.score().totalExecutions());
    row.put("comparator", execution.comparison().name().toLowerCase(Locale.ROOT));
    return row;
  }

  /** RFT: train the generator to answer its own prompt with the hardest problem it wrote. */
  Map<String, Object> rftRow(Map<String, Object> datasetRow) {
    @SuppressWarnings("unchecked")
    List<Message> prompt = (List<Message>) datasetRow.get("prompt");
    return SftChatRow.of(prompt, (String) datasetRow.get("problem"));
  }
}
