package dev.quarry.core.config;

/**
 * Limits on what a run may spend on LLM calls, checked at round boundaries: a run that reaches one
 * finishes its round and stops with a message. 0 means no limit.
 */
public record BudgetConfig(long maxTokens, long maxRequests) {}
