import { type ApiClient, type CallResult, type JobBody, TERMINAL } from '../client/api-client.ts';
import type { ApiRequest } from '../client/api-request.ts';
import type { SdkLang } from '../client/sdk-rules.ts';
import type { Clock } from '../core/clock.ts';
import type { Random } from '../core/random.ts';
import type { JobKind } from '../server/jobs/job.ts';
import type { ModelLimits } from '../server/limits/types.ts';

/** Parameter values as users write them and reports show them. */
export type PollerParams = Readonly<Record<string, string | number | boolean>>;

/** A job to wait for, as the workload hands it to a poller. */
export interface PollTarget {
  readonly kind: JobKind;
  readonly id: string;
  readonly threadId?: string | undefined;
  /** For a file batch: its vector store. */
  readonly vectorStoreId?: string | undefined;
  /** When the create call returned, on the client's clock. @unit milliseconds */
  readonly createdAtMs: number;
  /** The body the create call returned. */
  readonly initial: JobBody;
  /** The retrieve request for this job. */
  readonly retrieve: ApiRequest;
}

/** Server-side truth, given only to the `oracle` poller (the lower bound). */
export interface OracleView {
  /** When the job reaches a terminal status. @unit milliseconds */
  terminalAt(jobId: string): number | undefined;
  /**
   * The first moment at or after `nowMs` when no scheduled error window (an outage, an overload)
   * fails every request. @unit milliseconds
   */
  faultFreeAt(nowMs: number): number;
}

/** What a poller gets from the client it runs in (one instance per simulated client). */
export interface PollerContext {
  readonly clock: Clock;
  /** This client's jitter stream. */
  readonly random: Random;
  readonly client: ApiClient;
  /** The tier's published limits for the workload's model (what the cookbook limiter is told). */
  readonly publishedLimits: ModelLimits | undefined;
  readonly oracle?: OracleView | undefined;
  /**
   * The abort signal of the job the calling code works for, read at the moment of the call: set when a
   * program waits with a signal (`attachPoller`), absent in a simulation. A strategy that holds requests
   * back in a queue or a loop of its own passes it on (`WaitQueue.enter`, `ctx.clock.sleep`), so that an
   * aborted job's requests leave at once and keep no timer. Sleeps of `ctx.clock` begun before the
   * abort end with it anyway, and `ctx.client` refuses an aborted job's requests. @defaultValue absent
   */
  readonly signal?: (() => AbortSignal | undefined) | undefined;
}

/**
 * A polling strategy. Every request of the workload goes through {@link Poller.send} (so a strategy
 * can pace all of a client's requests and decide what to do with errors), and {@link Poller.waitFor}
 * decides when to poll a job.
 */
export interface Poller {
  readonly name: string;
  readonly params: PollerParams;
  /** SDK retries of this poller's client (the SDK's default is 2). */
  readonly maxRetries: number;
  /**
   * Whose SDK this poller's client is: its retry rules and poll helpers (`ctx.client.pollRun`) are that
   * SDK's. `python` and `python-2.51` are emulated by the fast transport only; the SDK transport, `npm run live` and
   * `attachPoller` run the `openai` Node SDK and refuse it. @defaultValue `'node'`
   */
  readonly lang?: SdkLang | undefined;
  /** Pause a worker takes after each job (the seed program's 20 s). @unit milliseconds */
  readonly gapMs: number;
  /** Sends one request, pacing and retrying per the strategy. `tokens`: the caller's estimate. */
  send<T>(request: ApiRequest, tokens?: number): Promise<CallResult<T>>;
  /** Polls until the job reaches a terminal status; returns its last body. */
  waitFor(target: PollTarget): Promise<JobBody>;
}

/** Builds a poller for one client. `params` are already validated and complete. */
export type PollerFactory = (ctx: PollerContext, params: PollerParams) => Poller;

/** Thrown by a poller that gives up on a job (it is counted as abandoned). */
export class JobAbandoned extends Error {
  override readonly name = 'JobAbandoned';
}

/** Retries `request` after the delay `onError` returns, or rethrows when it returns `undefined`. */
export async function sendWithPolicy<T>(
  ctx: PollerContext,
  request: ApiRequest,
  onError: (error: unknown, attempt: number) => number | undefined,
  before?: () => Promise<void>,
): Promise<CallResult<T>> {
  for (let attempt = 1; ; attempt++) {
    if (before !== undefined) await before();
    try {
      return await ctx.client.send<T>(request);
    } catch (error) {
      const delay = onError(error, attempt);
      if (delay === undefined) throw error;
      await ctx.clock.sleep(delay);
    }
  }
}

/**
 * The loop most strategies share: sleep `delayMs(n)` before poll `n` (0-based), retrieve through `send`,
 * stop at a terminal status. Returns the last body.
 */
export async function pollUntilTerminal(
  ctx: PollerContext,
  target: PollTarget,
  delayMs: (n: number) => number,
  send: (request: ApiRequest) => Promise<CallResult<JobBody>>,
): Promise<JobBody> {
  let body = target.initial;
  for (let n = 0; !TERMINAL[target.kind].has(body.status); n++) {
    await ctx.clock.sleep(delayMs(n));
    body = (await send(target.retrieve)).data;
  }
  return body;
}
