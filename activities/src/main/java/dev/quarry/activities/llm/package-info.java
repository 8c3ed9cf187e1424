/**
 * The LLM gateway's client side: an OpenAI-compatible HTTP client ({@link
 * dev.quarry.activities.llm.OpenAiClient}) with retries, a concurrency bound per endpoint and a
 * filesystem response cache ({@link dev.quarry.activities.llm.CachingLlmClient}). Free of Temporal:
 * activities map {@link dev.quarry.activities.llm.LlmException#isRetryable()} onto their failures.
 */
package dev.quarry.activities.llm;
