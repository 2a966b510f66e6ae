import type { Random } from '../core/random.ts';
import type { HeaderReader } from './api-client.ts';

/**
 * The `openai` SDK's retry rules, exactly (openai-node 7.57 `client.js`; facts §7.1), so the fast
 * transport makes the same requests as the real SDK. Only the jitter differs in source: a seeded
 * stream instead of `Math.random`, and the SDK transport is given the same stream.
 */

/** The SDK's default `maxRetries`. */
export const SDK_DEFAULT_MAX_RETRIES = 2;
/** The SDK's default request timeout (10 min). @unit milliseconds */
export const SDK_DEFAULT_TIMEOUT_MS = 600_000;

/** `shouldRetry`: `x-should-retry` first, then 408, 409, 429 and ≥ 500. */
export function sdkShouldRetry(status: number, headers: HeaderReader): boolean {
  const header = headers.get('x-should-retry');
  if (header === 'true') return true;
  if (header === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * `calculateDefaultRetryTimeoutMillis`: `min(0.5 · 2^n, 8) s × (1 − 0.25 · u)`, n = retries done so far.
 * @unit milliseconds
 */
export function sdkDefaultBackoffMs(retriesRemaining: number, maxRetries: number, random: Random): number {
  const numRetries = maxRetries - retriesRemaining;
  const sleepSeconds = Math.min(0.5 * 2 ** numRetries, 8);
  const jitter = 1 - random.next() * 0.25;
  return sleepSeconds * jitter * 1000;
}

/**
 * `retryRequest`'s delay: `retry-after-ms`, else `retry-after` in seconds; values that are missing,
 * non-finite, negative or over 60 s fall back to the default backoff. (HTTP-date `retry-after` values
 * are not produced by the mock, so they are not handled here.)
 * @unit milliseconds
 */
export function sdkRetryDelayMs(
  headers: HeaderReader | undefined,
  retriesRemaining: number,
  maxRetries: number,
  random: Random,
): number {
  let delay: number | undefined;
  const ms = headers?.get('retry-after-ms');
  if (ms) {
    const parsed = Number.parseFloat(ms);
    if (!Number.isNaN(parsed)) delay = parsed;
  }
  const seconds = headers?.get('retry-after');
  if (seconds && delay === undefined) {
    const parsed = Number.parseFloat(seconds);
    if (!Number.isNaN(parsed)) delay = parsed * 1000;
  }
  if (delay === undefined || !Number.isFinite(delay) || delay < 0 || delay > 60_000) {
    return sdkDefaultBackoffMs(retriesRemaining, maxRetries, random);
  }
  return delay;
}
