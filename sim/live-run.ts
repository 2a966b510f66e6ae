import type OpenAI from 'openai';
import { clientFromOpenAI } from '../src/client/openai-client.ts';
import { recordTraffic } from '../src/client/traffic-recorder.ts';
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
   * How long to wait for the jobs: past it, those not done count as abandoned and the run returns
   * (their requests may still be under way). @defaultValue none @unit milliseconds
   */
  readonly deadlineMs?: number | undefined;
  /** Called with each request as it is answered, on the run's clock (0 at the start). */
  readonly onRecord?: ((record: RequestRecord) => void) | undefined;
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
  /** Why the run was cut short (the deadline), if it was. */
  readonly stopped: string | null;
  readonly outcomes: readonly JobOutcome[];
  /** The seed the run used. */
  readonly seed: number;
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
  const base = options.clock ?? systemClock;
  const seed = options.seed ?? freshSeed();
  // The run's clock starts at 0, as a simulation's does, so that its figures read alike.
  const startedAt = base.now();
  const clock: Clock = {
    now: () => base.now() - startedAt,
    sleep: (ms, signal) => base.sleep(ms, signal),
  };
  const metrics = new MetricsCollector();
  const ends = new Map<string, number>();
  const recorded = recordTraffic(
    options.openai,
    (record, body) => {
      metrics.observe(record);
      // When each job ended, from the first answer that shows it ended, as the simulator asks the mock.
      if (record.jobId !== undefined && body !== undefined && !ends.has(record.jobId)) {
        const seconds = endedAtSeconds(body);
        if (seconds !== undefined) ends.set(record.jobId, seconds * 1000 + 500 - startedAt);
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
    buildClient: (_client, _stream, maxRetries) =>
      clientFromOpenAI(recorded.maxRetries === maxRetries ? recorded : recorded.withOptions({ maxRetries })),
  });
  let stopped: string | null = null;
  const done = run.run();
  if (options.deadlineMs === undefined) await done;
  else {
    const deadline = new AbortController();
    const expired = clock.sleep(options.deadlineMs, deadline.signal).then(
      () => true,
      () => false,
    );
    const late = await Promise.race([done.then(() => false), expired]).finally(() => deadline.abort());
    if (late) {
      // The jobs' chains go on in the background: what they end with is no longer this run's to report,
      // and must not surface as an unhandled rejection in the caller's process.
      done.catch(() => {});
      stopped = `deadline of ${options.deadlineMs} ms reached`;
      run.abandonUnfinished(clock.now());
    }
  }
  const outcomes = [...run.outcomes].sort((a, b) => a.client - b.client || a.index - b.index);
  const jobs = [...ends].map(([id, at]) => ({ id, terminalAt: () => at }));
  return {
    name: choice.name,
    params: choice.params,
    metrics: { ...metrics.finish(outcomes, jobs), efficiency: null },
    stopped,
    outcomes,
    seed,
  };
}
