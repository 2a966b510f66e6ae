import { ApiCallError, type ApiClient } from '../src/client/api-client.ts';
import { SDK_DEFAULT_MAX_RETRIES } from '../src/client/sdk-retry.ts';
import type { SdkLang } from '../src/client/sdk-rules.ts';
import type { Clock } from '../src/core/clock.ts';
import type { Random } from '../src/core/random.ts';
import { JobAbandoned, type OracleView, type Poller, type PollerContext } from '../src/pollers/poller.ts';
import { finalBodyProblem, pollerProblem } from '../src/pollers/poller-contract.ts';
import { POLLERS, type PollerChoice } from '../src/pollers/registry.ts';
import type { ModelLimits } from '../src/server/limits/types.ts';
import { FLOWS } from './workloads/flows.ts';
import { arrivalTimes, type JobOutcome, type WorkloadConfig } from './workloads/workload.ts';

/** A poller that threw something other than an API error: a bug in the strategy, named. */
export class PollerFailed extends Error {
  override readonly name = 'PollerFailed';
  readonly poller: string;
  constructor(poller: string, cause: unknown) {
    super(`poller '${poller}' failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.poller = poller;
  }
}

/** What a workload runs on: the simulator's mock in virtual time, or a real server on the wall clock. */
export interface WorkloadRunOptions {
  readonly workload: WorkloadConfig;
  /** The poller, its parameters complete (`resolvePoller`). */
  readonly choice: PollerChoice;
  readonly clock: Clock;
  /** The run's root random stream: each client draws from `client:N` (its poller, arrivals, SDK retries). */
  readonly root: Random;
  /** What `limiter` paces to and `adaptive` falls back on. */
  readonly publishedLimits: ModelLimits | undefined;
  /**
   * Client `client`'s API client, built on its first request with the poller's SDK retries and SDK
   * (the Node SDK's defaults if the factory sends before returning). `stream` is the client's random
   * stream.
   */
  readonly buildClient: (client: number, stream: Random, maxRetries: number, lang: SdkLang) => ApiClient;
  /** Server-side truth, for the `oracle` poller only. @defaultValue none */
  readonly oracle?: OracleView | undefined;
}

const isDomainError = (error: unknown) => error instanceof ApiCallError || error instanceof JobAbandoned;

/**
 * `poller` with the body its `waitFor` returns checked ({@link finalBodyProblem}); the error names the
 * problem, and the worker that awaits it names the poller. (What `send` resolves to is checked by the
 * flows, after their own `await`.)
 */
function checkedPoller(poller: Poller): Poller {
  return {
    name: poller.name,
    params: poller.params,
    maxRetries: poller.maxRetries,
    lang: poller.lang,
    gapMs: poller.gapMs,
    // Not checked here: a wrapper's extra promise hop would reorder same-instant work (the flows check it).
    send: (request, tokens) => poller.send(request, tokens),
    async waitFor(target) {
      const body = await poller.waitFor(target);
      const problem = finalBodyProblem(target, body);
      if (problem !== undefined) throw new Error(problem);
      return body;
    },
  };
}

/**
 * A workload's clients, each with its own poller and workers, and how each of their jobs ended. The
 * simulator runs one on the mock in virtual time; a live run, on a real server on the wall clock.
 */
export class WorkloadRun {
  /** How each job ended so far, in the order they ended. */
  readonly outcomes: JobOutcome[] = [];
  private readonly started = new Map<string, { index: number; startedAtMs: number }>();
  private readonly options: WorkloadRunOptions;

  constructor(options: WorkloadRunOptions) {
    this.options = options;
  }

  /** Runs every client to the end. @throws {@link PollerFailed} when the poller throws what no API sends */
  run(): Promise<void> {
    const { clients } = this.options.workload;
    return Promise.all(Array.from({ length: clients }, (_, c) => this.runClient(c))).then(() => {});
  }

  /** Counts every job that has not ended as abandoned at `nowMs`, so that no job is ever lost. */
  abandonUnfinished(nowMs: number): void {
    const { workload } = this.options;
    const done = new Set(this.outcomes.map((o) => `${o.client}:${o.index}`));
    for (let c = 0; c < workload.clients; c++) {
      for (let i = 0; i < workload.jobs; i++) {
        if (!done.has(`${c}:${i}`)) {
          this.outcomes.push({
            client: c,
            index: i,
            status: 'abandoned',
            jobId: undefined,
            startedAtMs: this.started.get(`${c}:${i}`)?.startedAtMs ?? nowMs,
            finishedAtMs: nowMs,
          });
        }
      }
    }
  }

  private async runClient(c: number): Promise<void> {
    const { workload, choice, clock, root, buildClient } = this.options;
    const entry = POLLERS[choice.name];
    if (entry === undefined) throw new PollerFailed(choice.name, new Error('unknown poller'));
    const { outcomes, started } = this;
    const stream = root.stream(`client:${c}`);
    // The client's SDK retries are the poller's own `maxRetries`, known once its factory has returned;
    // the client is built on the first request, which comes later (a factory that sends at once gets
    // the SDK's default).
    let made: Poller | undefined;
    let real: ApiClient | undefined;
    const client = () =>
      (real ??= buildClient(c, stream, made?.maxRetries ?? SDK_DEFAULT_MAX_RETRIES, made?.lang ?? 'node'));
    const ctx: PollerContext = {
      clock,
      random: stream.stream('poller'),
      client: {
        send: (request) => client().send(request),
        pollRun: (threadId, runId, intervalMs) => client().pollRun(threadId, runId, intervalMs),
        pollFileBatch: (storeId, batchId, intervalMs) => client().pollFileBatch(storeId, batchId, intervalMs),
      },
      publishedLimits: this.options.publishedLimits,
      oracle: this.options.oracle,
    };
    try {
      made = entry.factory(ctx, choice.params);
    } catch (error) {
      throw new PollerFailed(choice.name, error);
    }
    const problem = pollerProblem(made);
    if (problem !== undefined) throw new PollerFailed(choice.name, new Error(problem));
    const poller = checkedPoller(made);
    const flow = FLOWS[workload.flow];
    const arrivals = arrivalTimes(workload.arrival, workload.jobs, stream.stream('arrivals'));
    let setup: Record<string, string>;
    try {
      setup = await flow.setup({ clock, poller, config: workload });
    } catch (error) {
      if (!isDomainError(error)) throw new PollerFailed(choice.name, error);
      for (let i = 0; i < workload.jobs; i++)
        outcomes.push({
          client: c,
          index: i,
          status: 'abandoned',
          jobId: undefined,
          startedAtMs: clock.now(),
          finishedAtMs: clock.now(),
        });
      return;
    }
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < workload.jobs; i = next++) {
        const wait = (arrivals[i] as number) - clock.now();
        if (wait > 0) await clock.sleep(wait);
        const startedAtMs = clock.now();
        const key = `${c}:${i}`;
        started.set(key, { index: i, startedAtMs });
        let jobId: string | undefined;
        let status: JobOutcome['status'];
        try {
          const final = await flow.run(
            { clock, poller, config: workload, setup, onJobId: (id) => (jobId = id) },
            i,
          );
          status = final.status === 'completed' ? 'completed' : 'failed';
        } catch (error) {
          if (!isDomainError(error)) throw new PollerFailed(choice.name, error);
          status = 'abandoned';
        }
        started.delete(key);
        outcomes.push({ client: c, index: i, status, jobId, startedAtMs, finishedAtMs: clock.now() });
        if (poller.gapMs > 0) await clock.sleep(poller.gapMs);
      }
    };
    // A worker beyond the job count would find no job; not starting it keeps a typo's memory bounded.
    await Promise.all(Array.from({ length: Math.min(workload.workers, workload.jobs) }, worker));
  }
}
