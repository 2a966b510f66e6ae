import type { JobKind } from '../server/jobs/job.ts';
import type { ApiRequest } from './api-request.ts';

/** Reads response headers, whatever carried them. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** A successful call: the parsed body and the response headers. */
export interface CallResult<T> {
  readonly data: T;
  readonly headers: HeaderReader;
}

/** An error answer that reached the caller (after the SDK's own retries, if any). */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  /** HTTP status; 0 for a connection error or timeout. */
  readonly status: number;
  readonly code: string | null;
  readonly type: string | null;
  readonly headers: HeaderReader;
  constructor(
    status: number,
    message: string,
    code: string | null,
    type: string | null,
    headers: HeaderReader,
    /** The transport's own error, when there is one (the SDK's `APIError`). */
    cause?: unknown,
  ) {
    // An answer of the API, not a fault in the code: its stack would only show the transport. Without one
    // it is built about 5× faster (0.5 µs, not 2.4: V8 walks the async chain for a stack), and a throttled simulation
    // builds one for every request it gives up on (`--cpu-prof`: 5 % of a tier-3 `fixed` run).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, cause === undefined ? undefined : { cause });
    Error.stackTraceLimit = limit;
    this.status = status;
    this.code = code;
    this.type = type;
    this.headers = headers;
  }
}

/** True for a 429 that waiting can fix (not `insufficient_quota`, not "Request too large"). */
export function isRetryableRateLimit(error: unknown): error is ApiCallError {
  return (
    error instanceof ApiCallError &&
    error.status === 429 &&
    error.code === 'rate_limit_exceeded' &&
    !error.message.startsWith('Request too large')
  );
}

/** The parts of a job object the pollers read. */
export interface JobBody {
  readonly id: string;
  readonly status: string;
  readonly created_at?: number;
  readonly completed_at?: number | null;
  readonly failed_at?: number | null;
  readonly thread_id?: string;
}

/**
 * Sends API requests over one transport: the real SDK (`sdk`) or the mock's core directly (`fast`).
 * Both apply the SDK's retry rules, so both produce the same requests at the same virtual times.
 */
export interface ApiClient {
  send<T>(request: ApiRequest): Promise<CallResult<T>>;
  /**
   * The SDK's `runs.poll` helper: an immediate first retrieve, then sleeps of `pollIntervalMs`, else
   * `openai-poll-after-ms`, else 5 s (openai-node `lib/polling.js`).
   */
  pollRun(threadId: string, runId: string, pollIntervalMs?: number): Promise<JobBody>;
  /** The SDK's `vectorStores.fileBatches.poll` helper: the same loop as {@link pollRun} (facts §6.3). */
  pollFileBatch(vectorStoreId: string, batchId: string, pollIntervalMs?: number): Promise<JobBody>;
}

/** Statuses at which a poller stops, per job kind (SDK poll helpers, facts §5.3, §6). */
export const TERMINAL: Readonly<Record<JobKind, ReadonlySet<string>>> = {
  run: new Set(['requires_action', 'incomplete', 'cancelled', 'completed', 'failed', 'expired']),
  response: new Set(['completed', 'failed', 'incomplete', 'cancelled']),
  batch: new Set(['completed', 'failed', 'expired', 'cancelled']),
  file_batch: new Set(['failed', 'cancelled', 'completed']),
};

/**
 * Statuses at which the SDK's poll helpers sleep and poll again (openai-node `lib/polling.js`): an
 * unknown status is re-polled at once, without a sleep. Only the kinds that have a helper.
 */
export const HELPER_INTERMEDIATE: Readonly<Record<'run' | 'file_batch', ReadonlySet<string>>> = {
  run: new Set(['queued', 'in_progress', 'cancelling']),
  file_batch: new Set(['in_progress']),
};
