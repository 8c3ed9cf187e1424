package dev.quarry.core.adaptive;

/** Why a candidate's rollouts stopped; recorded on its row with how many it used. */
public enum StopReason {
  /** Not stopped: more rollouts may change the decision. */
  CONTINUE,
  /** Every rollout of the fixed budget was made. */
  BUDGET,
  /** No result of the remaining rollouts can change the decision (exact). */
  SETTLED_EXACTLY,
  /** The confidence interval lies wholly on one side of the decision. */
  SETTLED_AT_CONFIDENCE,
  /** QueST: the candidate cannot become the prompt's hardest. */
  CANNOT_WIN,
  /** QueST: δ is known to within the configured width. */
  NARROW,
  /** The endpoint refused a wave's request (400, 413, 422): no further wave is asked. */
  REJECTED
}
