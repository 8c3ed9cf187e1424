package dev.quarry.core.sandbox;

/** How an actual output is compared with an expected one; recorded on every verdict. */
public enum Comparison {
  EXACT,
  /** Default: tokens separated by any whitespace must match; trailing blanks ignored. */
  WHITESPACE,
  /** Tokens that parse as numbers match within an absolute or relative tolerance. */
  FLOAT_TOLERANCE,
  CASE_INSENSITIVE
}
