package dev.quarry.core.sparq;

/** Which archive parents are drawn from. */
public enum ArchiveMode {
  /** Always the seed archive: generated problems are kept and filtered but never become parents. */
  STATIC,
  /** The archive as updated after every round: good generated problems become parents. */
  DYNAMIC
}
