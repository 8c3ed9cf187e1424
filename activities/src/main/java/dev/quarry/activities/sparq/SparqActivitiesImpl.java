package dev.quarry.activities.sparq;

import dev.quarry.activities.concepts.SeedRepository;
import dev.quarry.activities.dataset.BenchmarkTexts;
import dev.quarry.activities.dataset.DatasetActivitiesImpl;
import dev.quarry.activities.dataset.ShardWriter;
import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.MathProblemArtifact;
import dev.quarry.core.artifacts.MathRolloutsArtifact;
import dev.quarry.core.artifacts.SparqArchiveRecord;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.SparqConfig;
import dev.quarry.core.seeds.MathSeedLoader;
import dev.quarry.core.seeds.SeedProblem;
import dev.quarry.core.sparq.ArchiveEntry;
import dev.quarry.core.sparq.ArchiveMode;
import dev.quarry.core.sparq.InsertResult;
import dev.quarry.core.sparq.ParentSelector;
import dev.quarry.core.sparq.QualityDiversityArchive;
import dev.quarry.core.sparq.SkillVocabulary;
import dev.quarry.core.sparq.SolveRate;
import dev.quarry.workflows.sparq.ArchiveUpdate;
import dev.quarry.workflows.sparq.PrepareRoundRequest;
import dev.quarry.workflows.sparq.PreparedRound;
import dev.quarry.workflows.sparq.ScoreSolveRateRequest;
import dev.quarry.workflows.sparq.SolveRateScore;
import dev.quarry.workflows.sparq.SparqActivities;
import dev.quarry.workflows.sparq.SparqParent;
import dev.quarry.workflows.sparq.SparqProblemRecord;
import dev.quarry.workflows.sparq.SparqShard;
import dev.quarry.workflows.sparq.SparqShardRequest;
import dev.quarry.workflows.sparq.UpdateArchiveRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SPARQ's bookkeeping on the workflow workers: the archive (built from the math seeds on the first
 * round, then one keyed snapshot per round), parent selection, solve-rate scoring, keyed problem
 * records and the filtered round shard. Every write is keyed and atomic, and every result is a
 * function of stored inputs, so a retried activity repeats, never adds.
 */
public final class SparqActivitiesImpl implements SparqActivities {
  private final RecordStore records;
  private final FileArtifactStore store;
  private final SeedRepository seeds;
  private final SparqArchiveStore archives;
  private final SparqShardSpec shard;
  private final ShardWriter writer;
  private final DatasetFiles files;

  public SparqActivitiesImpl(RecordStore records, FileArtifactStore store, SeedRepository seeds) {
    this(records, store, seeds, new BenchmarkTexts());
  }

  public SparqActivitiesImpl(
      RecordStore records,
      FileArtifactStore store,
      SeedRepository seeds,
      BenchmarkTexts benchmarks) {
    this(records, store, seeds, benchmarks, DatasetFiles.local());
  }

  public SparqActivitiesImpl(
      RecordStore records,
      FileArtifactStore store,
      SeedRepository seeds,
      BenchmarkTexts benchmarks,
      DatasetFiles files) {
    this.files = files;
    this.records = records;
    this.store = store;
    this.seeds = seeds;
    this.archives = new SparqArchiveStore(records);
    this.shard = new SparqShardSpec(new SparqRows(store));
    this.writer = new ShardWriter(records, benchmarks, files);
  }

  @Override
  public PreparedRound prepareRound(PrepareRoundRequest request) {
    RunConfig config = request.config();
    SparqConfig sparq = config.sparq();
    try {
      SparqArchiveRecord seedArchive = seedArchive(request.runId(), config);
      SparqArchiveRecord source =
          sparq.archive() == ArchiveMode.STATIC || request.round() == 0
              ? seedArchive
              : previous(request.runId(), request.round());
      QualityDiversityArchive archive = QualityDiversityArchive.of(source.archive());
      if (archive.size() == 0) {
        throw Failures.dataMissing(
            "the SPARQ archive has no problem to draw parents from; check seeds.file ("
                + config.seeds().file()
                + ")");
      }
      List<ArchiveEntry> drawn =
          ParentSelector.select(
              archive, sparq.parentSelection(), config.promptsPerRound(), request.seed());
      // A batch of a big round takes its range of the round's one draw, by absolute index.
      int first = request.firstParent() == null ? 0 : request.firstParent();
      int end =
          request.parents() == null
              ? drawn.size()
              : Math.min(drawn.size(), first + request.parents());
      List<SparqParent> parents = new ArrayList<>();
      for (int i = first; i < end; i++) {
        ArchiveEntry e = drawn.get(i);
        parents.add(new SparqParent(i, e.id(), e.niche(), e.problem()));
      }
      return new PreparedRound(
          parents, seedArchive.vocabulary(), archive.size(), archive.niches().size());
    } catch (IOException e) {
      throw Failures.infrastructure("RecordStoreUnavailable", e.getMessage(), e);
    }
  }

  /**
   * The run's seed archive, built once: the vocabulary of the seeds' most common skills, and every
   * seed in the niche of its (known) skills with quality 0, since it was never measured.
   */
  private SparqArchiveRecord seedArchive(String runId, RunConfig config) throws IOException {
    var stored = archives.seeds(runId);
    if (stored.isPresent()) {
      return stored.get();
    }
    SparqConfig sparq = config.sparq();
    List<SeedProblem> problems = seeds.seeds(config.seeds()).problems();
    SkillVocabulary vocabulary =
        SkillVocabulary.mostCommon(
            problems.stream().map(SeedProblem::concepts).toList(), sparq.skillVocabulary());
    QualityDiversityArchive archive = new QualityDiversityArchive(sparq.nicheCapacity());
    for (SeedProblem seed : problems) {
      ArtifactRef ref =
          store.putJson(
              MathProblemArtifact.seed(seed.statement(), MathSeedLoader.referenceAnswer(seed)));
      archive.insert(
          new ArchiveEntry(
              seed.id(),
              ArchiveEntry.SEED,
              vocabulary.niche(seed.concepts(), sparq.maxSkillsPerProblem()),
              0,
              null,
              ref,
              -1));
    }
    SparqArchiveRecord built =
        new SparqArchiveRecord(runId, -1, vocabulary.skills(), archive.snapshot());
    archives.write(built);
    return built;
  }

  private SparqArchiveRecord previous(String runId, int round) throws IOException {
    return archives
        .after(runId, round - 1)
        .orElseThrow(
            () ->
                Failures.dataMissing(
                    "the SPARQ archive after round "
                        + (round - 1)
                        + " of run "
                        + runId
                        + " is missing from the record store; was QUARRY_HOME changed between rounds?"));
  }

  @Override
  public SolveRateScore score(ScoreSolveRateRequest request) {
    try {
      MathRolloutsArtifact rollouts = store.getJson(request.rollouts(), MathRolloutsArtifact.class);
      // Only the rollouts that exist are in the denominator; too few of them is no measurement.
      int exist = rollouts.texts().size();
      int missing = rollouts.missing().size();
      int minimum = Math.max(1, Math.min(request.sparq().minSolverReplies(), exist + missing));
      if (exist < minimum) {
        return new SolveRateScore(
            0,
            0,
            exist,
            0,
            0,
            missing,
            "too few solver replies: "
                + exist
                + " of "
                + (exist + missing)
                + " < minimum "
                + minimum);
      }
      SolveRate sr =
          SolveRate.of(
              rollouts.texts(), request.referenceAnswer(), request.sparq().answerMatcher());
      return new SolveRateScore(
          sr.correct(),
          sr.answered(),
          sr.rollouts(),
          sr.rate(),
          request.sparq().qualityBand().quality(sr.rate()),
          missing,
          null);
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
  }

  @Override
  public void recordProblem(SparqProblemRecord record) {
    try {
      records.write(recordKey(record.runId(), record.round(), record.promptIndex()), record);
    } catch (IOException e) {
      throw Failures.infrastructure("RecordStoreUnavailable", e.getMessage(), e);
    }
  }

  @Override
  public ArchiveUpdate updateArchive(UpdateArchiveRequest request) {
    RunConfig config = request.config();
    try {
      SparqArchiveRecord before =
          request.round() == 0
              ? seedArchive(request.runId(), config)
              : previous(request.runId(), request.round());
      QualityDiversityArchive archive = QualityDiversityArchive.of(before.archive());
      int offered = 0;
      int added = 0;
      int replaced = 0;
      int rejected = 0;
      // Prompt order: the same inserts in the same order on every retry.
      for (SparqProblemRecord r :
          read(request.runId(), request.round(), request.prompts(), request.failedPrompts())) {
        if (!archivable(r)) {
          continue;
        }
        offered++;
        InsertResult result =
            archive.insert(
                new ArchiveEntry(
                    r.key(),
                    ArchiveEntry.GENERATED,
                    r.niche(),
                    r.score().quality(),
                    r.score().solveRate(),
                    r.problem(),
                    r.round()));
        switch (result.kind()) {
          case ADDED -> added++;
          case REPLACED -> replaced++;
          case REJECTED -> rejected++;
          case DUPLICATE -> {}
        }
      }
      SparqArchiveRecord after =
          new SparqArchiveRecord(
              request.runId(), request.round(), before.vocabulary(), archive.snapshot());
      archives.write(after);
      Path file = exportFile(config, request.runId(), request.round());
      files.write(file, Json.bytes(after));
      return new ArchiveUpdate(
          offered,
          added,
          replaced,
          rejected,
          archive.size(),
          archive.niches().size(),
          file.toString());
    } catch (IOException e) {
      throw Failures.infrastructure("RecordStoreUnavailable", e.getMessage(), e);
    }
  }

  /** Only measured problems of positive quality with a known skill enter the archive. */
  private static boolean archivable(SparqProblemRecord r) {
    return r.valid()
        && r.score().invalidReason() == null
        && r.score().quality() > 0
        && r.niche() != null
        && !r.niche().skills().isEmpty();
  }

  @Override
  public SparqShard writeShard(SparqShardRequest request) {
    ShardWriter.Written written =
        writer.write(
            shard,
            request.runId(),
            request.round(),
            request.prompts(),
            request.failedPrompts(),
            request.config());
    double qualitySum = 0;
    for (ShardWriter.Offer kept : written.kept()) {
      qualitySum += ((Number) kept.row().get("quality")).doubleValue();
    }
    int keptCount = written.kept().size();
    return new SparqShard(written.shard(), keptCount == 0 ? 0 : qualitySum / keptCount);
  }

  private List<SparqProblemRecord> read(String runId, int round, int prompts, int failedPrompts)
      throws IOException {
    return writer.read(shard, runId, round, prompts, failedPrompts);
  }

  static String recordKey(String runId, int round, int prompt) {
    return "runs/" + FileNames.safe(runId) + "/round-" + round + "/sparq-prompt-" + prompt;
  }

  /** The archive after a round, next to the round's dataset, for people to read. */
  public static Path exportFile(RunConfig config, String runId, int round) {
    return DatasetActivitiesImpl.runDirectory(config, runId)
        .resolve("round-" + round + ".archive.json");
  }
}
