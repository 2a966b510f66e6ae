import type { JobBody } from '../../src/client/api-client.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { Random } from '../../src/core/random.ts';
import type { Poller } from '../../src/pollers/poller.ts';

/** Which API flow a job follows. */
export type FlowName = 'assistants' | 'responses' | 'batch';

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
