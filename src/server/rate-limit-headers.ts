import { formatGoDuration } from '../core/duration.ts';
import type { Budgets } from './limiter/rate-limiter.ts';

/**
 * The six `x-ratelimit-*` headers (rate-limits guide table, facts §2.1): limits and remaining as plain
 * integers, resets as Go durations truncated to the millisecond (`120ms`, `6m0s`).
 */
export function rateLimitHeaders(budgets: Budgets, into: Record<string, string>): void {
  const { requests, tokens } = budgets;
  if (requests !== undefined) {
    into['x-ratelimit-limit-requests'] = String(requests.limit);
    into['x-ratelimit-remaining-requests'] = String(requests.remaining);
    into['x-ratelimit-reset-requests'] = formatGoDuration(requests.resetMs);
  }
  if (tokens !== undefined) {
    into['x-ratelimit-limit-tokens'] = String(tokens.limit);
    into['x-ratelimit-remaining-tokens'] = String(tokens.remaining);
    into['x-ratelimit-reset-tokens'] = formatGoDuration(tokens.resetMs);
  }
}

/**
 * `retry-after` (integer seconds, rounded up, at least 1: OpenAPI `TooManyRequests` says `minimum: 1`) and
 * `retry-after-ms`. The millisecond value is rounded up too, so a client that waits exactly that long is
 * admitted; the message text truncates, as the real one does.
 */
export function retryAfterHeaders(
  waitMs: number,
  into: Record<string, string>,
  seconds: boolean,
  millis: boolean,
): void {
  if (seconds) into['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000 - 1e-9)));
  if (millis) into['retry-after-ms'] = String(Math.ceil(waitMs - 1e-9));
}
