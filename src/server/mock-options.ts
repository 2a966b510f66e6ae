import type { Clock } from '../core/clock.ts';
import type { JobLatency, LatencyConfig } from './jobs/latency-config.ts';
import type { Distribution } from './latency.ts';
import type { LimiterOptions } from './limiter/rate-limiter.ts';
import type { Tier } from './limits/tier-tables.ts';
import type { LimitsTable } from './limits/types.ts';
import type { RouteId } from './routes/route.ts';

/** Which headers the mock sends. Real captures show each of them absent at times (facts §2.3). */
export interface HeaderOptions {
  /**
   * `x-ratelimit-*`: on every answer that went through the limiter (`always`), only on successes
   * (`success-only`: a 429 from `responses.create` was seen without them, openai-node #1477), or `never`.
   * @defaultValue `'always'`
   */
  readonly rateLimit?: 'always' | 'success-only' | 'never' | undefined;
  /** `retry-after` (integer seconds) on rate-limit 429s. @defaultValue true */
  readonly retryAfter?: boolean | undefined;
  /** `retry-after-ms` on rate-limit 429s (read first by both SDKs; not documented by OpenAI). @defaultValue true */
  readonly retryAfterMs?: boolean | undefined;
  /**
   * `openai-poll-after-ms` on job creates and retrieves, with this value. The SDK poll helpers obey it;
   * the real API is not known to send it, hence absent by default. @unit milliseconds
   */
  readonly pollAfterMs?: number | undefined;
}

/** A fault at given times: every request in [fromMs, toMs) gets it. */
export interface FaultWindow {
  readonly kind: 'server_error' | 'overloaded' | 'insufficient_quota' | 'latency';
  /** @unit milliseconds of the mock's clock */
  readonly fromMs: number;
  readonly toMs: number;
  /** For `latency`: extra delay. @unit milliseconds */
  readonly latencyMs?: number | undefined;
}

/** Seeded faults, by rate (per request) or at given times. */
export interface FaultOptions {
  /** Probability of a 500 `server_error` after admission. @defaultValue 0 */
  readonly serverErrorRate?: number | undefined;
  /** Probability of a 503 `server_is_overloaded` after admission. @defaultValue 0 */
  readonly overloadedRate?: number | undefined;
  /** Probability of a 429 `insufficient_quota` (never succeeds on retry). @defaultValue 0 */
  readonly insufficientQuotaRate?: number | undefined;
  /** Probability that a response is delayed by an extra `latencySpike`. @defaultValue 0 */
  readonly latencySpikeRate?: number | undefined;
  readonly latencySpike?: Distribution | undefined;
  /** Send `x-should-retry: false` with `insufficient_quota` so SDKs do not retry it. @defaultValue false */
  readonly quotaShouldRetryFalse?: boolean | undefined;
  readonly windows?: readonly FaultWindow[] | undefined;
}

/** Options of {@link createMockOpenAI}. Give `tier` or `limits`; everything else has a default. */
export interface MockOpenAIOptions {
  /** Usage tier whose published limits apply. @defaultValue `'free'` */
  readonly tier?: Tier | undefined;
  /** A custom limits table (e.g. from `loadLimitsFile`), instead of a tier. */
  readonly limits?: LimitsTable | undefined;
  /** Root seed of every random draw (latencies, outcomes, ids, faults). @defaultValue 0 */
  readonly seed?: number | undefined;
  /** The time source. @defaultValue the wall clock */
  readonly clock?: Clock | undefined;
  /** Where the mock answers. @defaultValue `'https://api.openai.com/v1'` */
  readonly baseURL?: string | undefined;
  /**
   * Organization that keys without an explicit mapping belong to: printable ASCII with no space at either
   * end (it is sent as the `openai-organization` header; anything else throws a `RangeError`).
   * @defaultValue `'org-pollbench'`
   */
  readonly organization?: string | undefined;
  /**
   * API key → organization. Several keys may share one organization (and so its buckets). When given,
   * other keys get 401 `invalid_api_key`; when absent, any `Bearer` key is accepted. Keys are printable
   * ASCII without spaces, organizations as {@link organization}; anything else throws a `RangeError`.
   */
  readonly apiKeys?: Readonly<Record<string, string>> | undefined;
  readonly limiter?: LimiterOptions | undefined;
  /**
   * Which routes count against the model's limits: `false` exempts a route, a model name makes a
   * model-less route (files, threads) count against that model. By default every route that can be
   * tied to a model counts against it, polls (`GET` of runs, responses) included — the seed article's
   * claim; OpenAI does not document it either way (facts §5.2).
   */
  readonly countedRoutes?: Readonly<Partial<Record<RouteId, boolean | string>>> | undefined;
  readonly headers?: HeaderOptions | undefined;
  /**
   * Requests a minute each vector store allows on its files and file-batch routes, polls included
   * (the guide's 300, facts §4; the same at every tier). @defaultValue 300
   */
  readonly vectorStoreRpm?: number | undefined;
  /** Latency model; fields given replace the defaults (see `DEFAULT_LATENCY`). */
  readonly latency?: Partial<LatencyConfig> | undefined;
  /** Per-model overrides of the run and response latency models. */
  readonly latencyByModel?:
    | Readonly<Record<string, { readonly run?: JobLatency; readonly response?: JobLatency }>>
    | undefined;
  readonly faults?: FaultOptions | undefined;
  /** Largest accepted JSON body. @defaultValue 1_048_576 @unit bytes */
  readonly maxBodyBytes?: number | undefined;
  /** Largest accepted file upload. @defaultValue 536_870_912 @unit bytes */
  readonly maxUploadBytes?: number | undefined;
  /** Keep every request in `mock.requests` (turn off for long simulations). @defaultValue true */
  readonly record?: boolean | undefined;
  /**
   * Handle requests that arrive in the same instant of a virtual clock in one canonical order (client,
   * method, path), whatever the transport. The simulator turns it on; leave it off elsewhere.
   * @defaultValue false
   */
  readonly orderSimultaneousRequests?: boolean | undefined;
}
