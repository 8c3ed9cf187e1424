package dev.quarry.workflows.sparq;

/**
 * A problem's measured difficulty.
 *
 * @param correct rollouts whose final answer matched the reference
 * @param answered rollouts that stated a final answer
 * @param rollouts K
 * @param solveRate correct / K
 * @param quality 1 − SR inside [T_l, T_u], else 0
 */
public record SolveRateScore(int correct, int answered, int rollouts, double solveRate, double quality) {}
