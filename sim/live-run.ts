import type OpenAI from 'openai';
import { TERMINAL } from '../src/client/api-client.ts';
import { clientFromOpenAI } from '../src/client/openai-client.ts';
import { JOB_KIND_OF_OBJECT, recordTraffic } from '../src/client/traffic-recorder.ts';
import { type Clock, systemClock } from '../src/core/clock.ts';
import { createRandom, freshSeed } from '../src/core/random.ts';
import { type PollerChoice, resolvePoller } from '../src/pollers/registry.ts';
import type { ModelLimits } from '../src/server/limits/types.ts';
import type { RequestRecord } from '../src/server/request-record.ts';
import { MetricsCollector, type PollerMetrics } from './metrics.ts';
import { WorkloadRun } from './workload-runner.ts';
import { type JobOutcome, type WorkloadConfig, workloadSizeProblem } from './workloads/workload.ts';

/** Options of {@link runLive}. */
export interface LiveRunOptions {
  /**
   * The client the workload's requests go through: its base URL, key, timeout and fetch are used as they
   * are (`new OpenAI()` reads `OPENAI_API_KEY` and `OPENAI_BASE_URL`); its retries are the poller's.
   */
  readonly openai: OpenAI;
  readonly workload: WorkloadConfig;
  readonly poller: PollerChoice;
  /** What `limiter` paces to and `adaptive` falls back on (the tier's limits for the model). */
  readonly publishedLimits?: ModelLimits | undefined;
  /** @defaultValue the wall clock ({@link systemClock}) */
  readonly clock?: Clock | undefined;
  /** Seed of the pollers' jitter and the arrivals. @defaultValue a fresh one from the operating system */
  readonly seed?: number | undefined;
  /**
   * How long to wait for the jobs: past it, the run stops (its sleeps and requests end there), those not
   * done count as abandoned, and the run returns. @defaultValue none @unit milliseconds
   */
  readonly deadlineMs?: number | undefined;
  /** Called with each request as it is answered, on the run's clock (0 at the start). */
  readonly onRecord?: ((record: RequestRecord) => void) | undefined;
  /**
   * Stops the run when it aborts, as the deadline does: the jobs not done count as abandoned, and the run
   * returns. Already aborted, `runLive` rejects with its reason at once. @defaultValue none
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Once the run stops (deadline or signal), ask the server to cancel each job it started and had not
   * seen end, so that none goes on being billed for a run that is over. @defaultValue true
   */
  readonly cancelUnfinished?: boolean | undefined;
}

/** A job a stopped run had not seen end, and what the server said to cancelling it. */
export interface JobCancel {
  readonly id: string;
  /** The job's `object`: `response`, `thread.run`, `batch` or `vector_store.files_batch`. */
  readonly object: string;
  /** Its status in the answer to the cancel (`cancelling`, `cancelled`, …), or null if it was refused. */
  readonly status: string | null;
  /** Why the cancel was refused or failed (the API's message), or null. */
  readonly error: string | null;
}

/** What a live run measured. */
export interface LiveRun {
  readonly name: string;
  readonly params: PollerChoice['params'];
  /**
   * The simulator's figures, computed the same way from the recorded traffic. Efficiency is `null`: no
   * oracle knows when a real job ends. Detection delays are measured against the jobs' own end
   * timestamps, which the API gives in whole seconds (each taken at the middle of its second), on its
   * servers' clock: they are good to about a second, and only for jobs whose body says when they ended
   * (a completed response, a run, a batch; not a file batch).
   */
  readonly metrics: PollerMetrics & { readonly efficiency: null };
  /** Why the run was cut short (the deadline, or the signal), if it was. */
  readonly stopped: string | null;
  /**
   * The jobs the run had started and not seen end when it was cut short, each with the answer to
   * cancelling it (empty when it was not cut short, or `cancelUnfinished` was false).
   */
  readonly cancels: readonly JobCancel[];
  readonly outcomes: readonly JobOutcome[];
  /** The seed the run used. */
  readonly seed: number;
}

/** What a stopped run knows of a job it started: enough to cancel it. */
interface SeenJob {
  readonly object: string;
  status: string;
  readonly threadId: string | undefined;
  readonly vectorStoreId: string | undefined;
}

/** Asks the server to cancel `job`, with the route the SDK has for its kind. */
async function cancelJob(openai: OpenAI, id: string, job: SeenJob): Promise<JobCancel> {
  const answer = (status: string | null, error: string | null): JobCancel => ({
    id,
    object: job.object,
    status,
    error,
  });
  try {
    const cancelled: { status?: string | null } =
      job.object === 'response'
        ? await openai.responses.cancel(id)
        : job.object === 'thread.run'
          ? await openai.beta.threads.runs.cancel(id, { thread_id: job.threadId ?? '' })
          : job.object === 'batch'
            ? await openai.batches.cancel(id)
            : await openai.vectorStores.fileBatches.cancel(id, { vector_store_id: job.vectorStoreId ?? '' });
    return answer(cancelled.status ?? null, null);
  } catch (error) {
    return answer(null, error instanceof Error ? error.message : String(error));
  }
}

/** `: reason` of an abort, when it gives one. */
function reasonText(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : '';
  // An AbortController aborted with no reason gives a DOMException saying just that.
  return text === '' || text === 'This operation was aborted' ? '' : `: ${text}`;
}

/** When a job's body says it ended, in the body's seconds, if it says. */
function endedAtSeconds(body: Readonly<Record<string, unknown>>): number | undefined {
  for (const name of ['completed_at', 'failed_at', 'cancelled_at', 'expired_at']) {
    const value = body[name];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/**
 * Runs `workload` with one poller against the server `openai` points at (the real API, or `npm run
 * serve`), and measures it as the simulator measures a simulated run, from the traffic the client
 * records ({@link recordTraffic}). Every job is created, paid for and waited on for real.
 */
export async function runLive(options: LiveRunOptions): Promise<LiveRun> {
  const tooBig = workloadSizeProblem(options.workload);
  if (tooBig !== undefined) throw new RangeError(`workload.${tooBig[0]}: ${tooBig[1]}`);
  const choice = resolvePoller(options.poller.name, options.poller.params);
  if (choice.name === 'oracle')
    throw new RangeError('runLive: the oracle knows when each job ends, which only a simulation can tell');
  options.signal?.throwIfAborted();
  const base = options.clock ?? systemClock;
  const seed = options.seed ?? freshSeed();
  // Once the run is over (its jobs done, the deadline, the caller's signal), every sleep of its pollers
  // and every request of its client ends at once: nothing of it goes on in the caller's process.
  const stop = new AbortController();
  // The run's clock starts at 0, as a simulation's does, so that its figures read alike.
  const startedAt = base.now();
  const clock: Clock = {
    now: () => base.now() - startedAt,
    sleep: (ms, signal) =>
      base.sleep(ms, signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal])),
  };
  const metrics = new MetricsCollector();
  const ends = new Map<string, number>();
  const seen = new Map<string, SeenJob>();
  const recorded = recordTraffic(
    options.openai,
    (record, body) => {
      metrics.observe(record);
      if (record.jobId !== undefined && body !== undefined) {
        // When each job ended, from the first answer that shows it ended, as the simulator asks the mock.
        if (!ends.has(record.jobId)) {
          const seconds = endedAtSeconds(body);
          if (seconds !== undefined) ends.set(record.jobId, seconds * 1000 + 500 - startedAt);
        }
        const status = record.jobStatus ?? '';
        const job = seen.get(record.jobId);
        if (job !== undefined) job.status = status;
        else
          seen.set(record.jobId, {
            object: String(body.object),
            status,
            threadId: typeof body.thread_id === 'string' ? body.thread_id : undefined,
            vectorStoreId: typeof body.vector_store_id === 'string' ? body.vector_store_id : undefined,
          });
      }
      options.onRecord?.(record);
    },
    // The workload's requests count against its model, where an answer does not say which.
    { clock, model: options.workload.model },
  );
  const run = new WorkloadRun({
    workload: options.workload,
    choice,
    clock,
    root: createRandom(seed),
    publishedLimits: options.publishedLimits,
    buildClient: (_client, _stream, maxRetries, lang) => {
      if (lang !== 'node') throw new Error(`its client is the ${lang} SDK's, which a live run cannot be`);
      return clientFromOpenAI(
        recorded.maxRetries === maxRetries ? recorded : recorded.withOptions({ maxRetries }),
        {
          signal: () => stop.signal,
        },
      );
    },
  });
  const done = run.run();
  // What ends the run first: its jobs, the deadline, or the caller's signal.
  const ended = new AbortController();
  const deadline =
    options.deadlineMs === undefined
      ? new Promise<never>(() => {})
      : base.sleep(options.deadlineMs, ended.signal).then(
          () => `deadline of ${options.deadlineMs} ms reached`,
          () => new Promise<never>(() => {}),
        );
  const interrupted = new Promise<string>((resolve) => {
    const onAbort = () => resolve(`interrupted${reasonText(options.signal?.reason)}`);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    ended.signal.addEventListener('abort', () => options.signal?.removeEventListener('abort', onAbort));
  });
  let stopped: string | null;
  try {
    stopped = await Promise.race([done.then(() => null), deadline, interrupted]);
  } catch (error) {
    // A poller failed: the other clients' chains end too.
    stop.abort(error);
    throw error;
  } finally {
    ended.abort();
  }
  if (stopped !== null) {
    // The pollers' chains now end with the stop's abort: what they end with is no longer this run's to
    // report, and must not surface as an unhandled rejection in the caller's process.
    done.catch(() => {});
    run.abandonUnfinished(clock.now());
  }
  stop.abort(new Error(stopped === null ? 'live run over' : `live run stopped: ${stopped}`));
  // The figures as of the stop: an answer that was on its way then, or a chain's late end, adds nothing.
  const outcomes = [...run.outcomes].sort((a, b) => a.client - b.client || a.index - b.index);
  const jobs = [...ends].map(([id, at]) => ({ id, terminalAt: () => at }));
  const figures = metrics.finish(outcomes, jobs);
  let cancels: JobCancel[] = [];
  if (stopped !== null && (options.cancelUnfinished ?? true)) {
    const unfinished = [...seen].filter(
      ([, job]) => !TERMINAL[JOB_KIND_OF_OBJECT[job.object] ?? 'response'].has(job.status),
    );
    // Through the caller's own client: these requests are not the run's, and the run's are stopped.
    cancels = await Promise.all(unfinished.map(([id, job]) => cancelJob(options.openai, id, job)));
  }
  return {
    name: choice.name,
    params: choice.params,
    metrics: { ...figures, efficiency: null },
    stopped,
    cancels,
    outcomes,
    seed,
  };
}
