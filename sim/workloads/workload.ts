import type { JobBody } from '../../src/client/api-client.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { Random } from '../../src/core/random.ts';
import type { Poller } from '../../src/pollers/poller.ts';
import type { ModelLimits } from '../../src/server/limits/types.ts';
import type { MockOpenAIOptions } from '../../src/server/mock-options.ts';

/** The API flows a job can follow, in the order help and messages list them. */
export const FLOW_NAMES = ['assistants', 'responses', 'batch', 'vector-store'] as const;

/** Which API flow a job follows. */
export type FlowName = (typeof FLOW_NAMES)[number];

/** When jobs become available to a client's workers. */
export type Arrival =
  | { readonly kind: 'all-at-once' }
  /** Job i arrives at i × gap (a fixed rate, e.g. the seed's 20 s). */
  | { readonly kind: 'fixed-gap'; readonly gapMs: number }
  /** Exponential gaps with this mean (a Poisson process), from the client's `arrivals` stream. */
  | { readonly kind: 'poisson'; readonly meanGapMs: number };

/** The work to simulate. Each client is an uncoordinated process with its own workers. */
export interface WorkloadConfig {
  readonly flow: FlowName;
  readonly model: string;
  /** Jobs per client. */
  readonly jobs: number;
  /** Jobs a client runs at once. */
  readonly workers: number;
  /** Uncoordinated clients sharing the organization's limits. */
  readonly clients: number;
  readonly arrival: Arrival;
  /** Prompt size of each job (drives the token estimate). @unit characters */
  readonly promptChars: number;
}

/**
 * The largest workload one simulation takes, so that a typo such as `--jobs 99999999999999999999` is a
 * clear error and not an out-of-memory crash after minutes. A run holds every job until it ends: a
 * million background responses on one client took 1.5 GB (`/usr/bin/time`, tier-5 preset, oracle,
 * 39 s) on a machine whose Node heap stops at ~4 GB.
 */
export const WORKLOAD_LIMITS = {
  /** Jobs in the whole run, all clients together (`jobs × clients`). */
  totalJobs: 1_000_000,
  /** Uncoordinated clients: each holds its own poller, SDK client and random streams. */
  clients: 10_000,
  /** Characters in each job's prompt (about 250,000 tokens by OpenAI's 4-characters rule). */
  promptChars: 1_000_000,
} as const;

/**
 * What is wrong with a workload's size, as `[field, message]`, or `undefined` when it fits
 * {@link WORKLOAD_LIMITS}. Fields are those of {@link WorkloadConfig}.
 */
export function workloadSizeProblem(
  workload: Pick<WorkloadConfig, 'jobs' | 'clients' | 'promptChars'>,
): [field: 'jobs' | 'clients' | 'promptChars', message: string] | undefined {
  const n = (x: number) => x.toLocaleString('en-US');
  if (workload.clients > WORKLOAD_LIMITS.clients)
    return ['clients', `at most ${n(WORKLOAD_LIMITS.clients)} clients; got ${n(workload.clients)}`];
  if (workload.jobs * workload.clients > WORKLOAD_LIMITS.totalJobs)
    return [
      'jobs',
      `at most ${n(WORKLOAD_LIMITS.totalJobs)} jobs in one run (jobs × clients); got ${n(workload.jobs)} × ${n(workload.clients)}`,
    ];
  if (workload.promptChars > WORKLOAD_LIMITS.promptChars)
    return [
      'promptChars',
      `at most ${n(WORKLOAD_LIMITS.promptChars)} characters; got ${n(workload.promptChars)}`,
    ];
  return undefined;
}

/** How one job ended. */
export interface JobOutcome {
  readonly client: number;
  readonly index: number;
  readonly status: 'completed' | 'failed' | 'abandoned';
  readonly jobId: string | undefined;
  /** When the worker took the job and when it was done with it (result read). @unit milliseconds */
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
}

/** What a flow needs for one job. */
export interface FlowContext {
  readonly clock: Clock;
  readonly poller: Poller;
  readonly config: WorkloadConfig;
  /** Per-client setup result (the assistant id for the Assistants flow). */
  readonly setup: Readonly<Record<string, string>>;
  /** Called as soon as the job's server-side id is known. */
  readonly onJobId: (id: string) => void;
}

/** A flow: one job from creation to its result. Returns the job's final body. */
export interface Flow {
  /** Once per client before any job (e.g. create the assistant). */
  setup(ctx: Omit<FlowContext, 'setup' | 'onJobId'>): Promise<Record<string, string>>;
  run(ctx: FlowContext, index: number): Promise<JobBody>;
  /**
   * The limits the flow's jobs count against when they are not the model's (a vector store's own), what
   * reports name them, and where the figure comes from.
   */
  endpointLimits?(mock: MockOpenAIOptions): EndpointLimits;
}

/** Limits of an endpoint rather than a model, as a study reports them. */
export interface EndpointLimits {
  readonly limits: ModelLimits;
  /** What they apply to, e.g. `each vector store`. */
  readonly subject: string;
  readonly source: string;
  /** When the figure was true. */
  readonly asOf: string;
}

/** Arrival times of a client's jobs. @unit milliseconds from the start */
export function arrivalTimes(arrival: Arrival, jobs: number, random: Random): number[] {
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < jobs; i++) {
    if (arrival.kind === 'fixed-gap') t = i * arrival.gapMs;
    else if (arrival.kind === 'poisson' && i > 0) t += -Math.log(1 - random.next()) * arrival.meanGapMs;
    times.push(Math.floor(t));
  }
  return times;
}
