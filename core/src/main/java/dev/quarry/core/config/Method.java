package dev.quarry.core.config;

/** Which paper's pipeline a run follows. */
public enum Method {
  QUEST,
  SCALEQUEST,
  SPARQ
}
