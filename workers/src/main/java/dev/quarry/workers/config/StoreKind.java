package dev.quarry.workers.config;

/** Where workers keep artifacts, records and datasets (QUARRY_STORE). */
public enum StoreKind {
  /** Under QUARRY_HOME and each run's outputDir on this machine (one host, or a shared volume). */
  FILE,
  /** In an S3 bucket that workers on different hosts share. */
  S3
}
