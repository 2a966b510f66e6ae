import type { Dimension } from './limits/types.ts';
import type { RouteId } from './routes/route.ts';

/** What the mock observed of one request: enough for a simulator to measure without parsing HTTP. */
export interface RequestRecord {
  /** 1-based order of arrival. */
  readonly seq: number;
  /** Arrival time on the mock's clock. @unit milliseconds */
  readonly atMs: number;
  /** When the answer is sent (arrival + latency). @unit milliseconds */
  readonly doneMs: number;
  readonly method: string;
  readonly path: string;
  /** Matched route, or undefined for 404/405 paths. */
  readonly route: RouteId | undefined;
  readonly status: number;
  /** OpenAI error `code` (or `type` when code is null) of an error answer. */
  readonly errorCode: string | undefined;
  readonly organization: string | undefined;
  /** The caller's `x-pollbench-client` header, if any: lets one mock tell clients apart. */
  readonly client: string | undefined;
  /** Model the request counted against, if it counted. */
  readonly model: string | undefined;
  /** The dimension that rejected it (429 `rate_limit_exceeded`). */
  readonly rejectedBy: Dimension | undefined;
  /** Budgets left after the request, as its headers would say. */
  readonly remainingRequests: number | undefined;
  readonly remainingTokens: number | undefined;
  /** The job the answer was about, and the status it reported. */
  readonly jobId: string | undefined;
  readonly jobStatus: string | undefined;
}
