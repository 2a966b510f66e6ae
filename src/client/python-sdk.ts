import type { Random } from '../core/random.ts';
import { type CallResult, type HeaderReader, type JobBody, TERMINAL } from './api-client.ts';
import { sdkDefaultBackoffMs } from './sdk-retry.ts';

/*
 * The Python SDK's rules, for programs written in Python (the seed program is one). Read from
 * openai-python 3.3.1 (`_constants.py`, `_base_client.py`, `resources/beta/threads/runs/runs.py`,
 * `resources/vector_stores/file_batches.py`; facts §0.2, §5.3, §7.2). pollbench cannot run Python, so
 * these are emulated in the fast transport only; the SDK transport runs the real `openai` Node SDK.
 * Where they differ from the Node SDK's (`sdk-retry.ts`):
 * - a `Retry-After` of more than 120 s is not retried at all (`_should_retry`, since 2.52.0); Node waits
 *   up to 60 s and falls back to its backoff beyond;
 * - a `Retry-After` of 0 is "not given": the backoff applies (Node waits 0);
 * - the poll helpers sleep 1 s when neither the caller nor `openai-poll-after-ms` gives an interval
 *   (Node: 5 s), and the first hint read sticks for every later poll (Node re-reads it each time).
 * The backoff itself (`min(0.5 · 2^n, 8) s × (1 − 0.25 · u)`), the statuses retried, `x-should-retry`,
 * the 2 retries and the 600 s timeout are the same.
 * Before 2.52.0 (`lang=python-2.51`), a `Retry-After` was honoured up to 60 s only and a longer one fell
 * back to the backoff, still retried, as Node's does (facts §7.2). Nothing is known of older poll
 * helpers, so they are taken to be 3.3.1's.
 */

/** `MAX_RETRY_AFTER_DELAY`: the longest server-directed wait honoured, since 2.52.0. @unit milliseconds */
export const PYTHON_MAX_RETRY_AFTER_MS = 120_000;
/**
 * The longest server-directed wait honoured before 2.52.0 (`0 < retry_after <= 60`; a longer one fell
 * back to the backoff, and the request was still retried; facts §7.2). @unit milliseconds
 */
export const PYTHON_2_51_MAX_RETRY_AFTER_MS = 60_000;
/** The poll helpers' sleep when neither the caller nor the server names one. @unit milliseconds */
export const PYTHON_HELPER_DEFAULT_INTERVAL_MS = 1000;

// What Python's `float()` accepts, near enough for header values: decimal and exponent forms, and the
// words for infinity and NaN (`float('1_000')` is the one form left out).
const PYTHON_FLOAT = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf|infinity|nan)\s*$/i;

function pythonFloat(text: string): number | undefined {
  if (!PYTHON_FLOAT.test(text)) return undefined;
  const word = text.trim().toLowerCase().replace(/^[+-]/, '');
  if (word === 'nan') return Number.NaN;
  const sign = text.trim().startsWith('-') ? -1 : 1;
  if (word === 'inf' || word === 'infinity') return sign * Number.POSITIVE_INFINITY;
  return Number(text.trim());
}

/**
 * `_parse_retry_after_header`: the first of `retry-after-ms` (÷ 1000) and `retry-after` that parses as a
 * float, in seconds; a value that overflows to infinity counts as just over the maximum. (The HTTP-date
 * form of `retry-after` is not produced by the mock, so it is not read here.)
 * @unit seconds
 */
export function pythonRetryAfterSeconds(headers: HeaderReader | undefined): number | undefined {
  if (headers === undefined) return undefined;
  for (const [name, divisor] of [
    ['retry-after-ms', 1000],
    ['retry-after', 1],
  ] as const) {
    const value = headers.get(name);
    if (value === null) continue;
    const delay = pythonFloat(value);
    if (delay === undefined) continue;
    if (delay === Number.POSITIVE_INFINITY && !/^\s*\+?inf/i.test(value))
      return PYTHON_MAX_RETRY_AFTER_MS / 1000 + 1;
    return delay / divisor;
  }
  return undefined;
}

/** `_should_retry`: a `Retry-After` over 120 s first, then `x-should-retry`, then 408, 409, 429, ≥ 500. */
export function pythonShouldRetry(status: number, headers: HeaderReader): boolean {
  const retryAfter = pythonRetryAfterSeconds(headers);
  if (
    retryAfter !== undefined &&
    Number.isFinite(retryAfter) &&
    retryAfter * 1000 > PYTHON_MAX_RETRY_AFTER_MS
  )
    return false;
  return python251ShouldRetry(status, headers);
}

/** `_should_retry` before 2.52.0: `x-should-retry`, then 408, 409, 429, ≥ 500, whatever `Retry-After` says. */
export function python251ShouldRetry(status: number, headers: HeaderReader): boolean {
  const header = headers.get('x-should-retry');
  if (header === 'true') return true;
  if (header === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * `_calculate_retry_timeout`: the server's delay when `0 < delay ≤ 120 s`, else the backoff (the same as
 * Node's). @unit milliseconds
 */
export function pythonRetryDelayMs(
  headers: HeaderReader | undefined,
  retriesRemaining: number,
  maxRetries: number,
  random: Random,
): number {
  return retryDelayWithin(PYTHON_MAX_RETRY_AFTER_MS, headers, retriesRemaining, maxRetries, random);
}

/** `_calculate_retry_timeout` before 2.52.0: the server's delay when `0 < delay ≤ 60 s`. @unit milliseconds */
export function python251RetryDelayMs(
  headers: HeaderReader | undefined,
  retriesRemaining: number,
  maxRetries: number,
  random: Random,
): number {
  return retryDelayWithin(PYTHON_2_51_MAX_RETRY_AFTER_MS, headers, retriesRemaining, maxRetries, random);
}

function retryDelayWithin(
  maxMs: number,
  headers: HeaderReader | undefined,
  retriesRemaining: number,
  maxRetries: number,
  random: Random,
): number {
  const retryAfter = pythonRetryAfterSeconds(headers);
  if (retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter > 0 && retryAfter * 1000 <= maxMs)
    return retryAfter * 1000;
  return sdkDefaultBackoffMs(retriesRemaining, maxRetries, random);
}

/**
 * The Python poll helpers (`runs.poll`, `vector_stores.file_batches.poll`): retrieve at once; a run
 * returns at a terminal status and sleeps at any other (Node re-polls an unknown status at once), a file
 * batch sleeps while `file_counts.in_progress > 0`. The sleep is the caller's interval, else the first
 * `openai-poll-after-ms` seen, which then sticks, else 1 s.
 */
export async function pythonPollHelper(
  kind: 'run' | 'file_batch',
  pollIntervalMs: number | undefined,
  retrieve: () => Promise<CallResult<JobBody>>,
  sleep: (ms: number) => Promise<void>,
): Promise<JobBody> {
  let interval = pollIntervalMs;
  for (;;) {
    const { data, headers } = await retrieve();
    const pending =
      kind === 'run'
        ? !TERMINAL.run.has(data.status)
        : ((data as { file_counts?: { in_progress?: number } }).file_counts?.in_progress ?? 0) > 0;
    if (!pending) return data;
    if (interval === undefined) {
      // `int(from_header)`: a value that is not a whole number ≥ 0 would raise in Python; it is ignored here.
      const hinted = headers.get('openai-poll-after-ms');
      interval =
        hinted !== null && /^\s*\+?\d+\s*$/.test(hinted)
          ? Number.parseInt(hinted, 10)
          : PYTHON_HELPER_DEFAULT_INTERVAL_MS;
    }
    await sleep(interval);
  }
}
