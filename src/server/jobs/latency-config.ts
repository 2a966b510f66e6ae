import type { Distribution } from '../latency.ts';

/** Latency and outcome model for one kind of job. */
export interface JobLatency {
  /** Time from creation to `in_progress`. */
  readonly queue: Distribution;
  /** Time spent `in_progress` before the terminal status. */
  readonly duration: Distribution;
  /** Probability that the job ends `failed`. @defaultValue 0 */
  readonly failRate?: number | undefined;
  /** Probability that it ends `incomplete`. @defaultValue 0 */
  readonly incompleteRate?: number | undefined;
  /** Runs only: probability that it stops at `requires_action` (function calling). @defaultValue 0 */
  readonly requiresActionRate?: number | undefined;
}

/** Batch phases: validating → in_progress → finalizing. */
export interface BatchLatency {
  readonly validating: Distribution;
  readonly inProgress: Distribution;
  readonly finalizing: Distribution;
  /** `cancelling → cancelled` ("may take up to 10 minutes", batch guide). */
  readonly cancelling: Distribution;
  readonly failRate?: number | undefined;
}

/** Every latency the mock draws, all configurable. */
export interface LatencyConfig {
  /** Time to answer any request (what `openai-processing-ms` reports). */
  readonly request: Distribution;
  /** Synchronous generation time of chat completions and non-background responses. */
  readonly completion: Distribution;
  readonly run: JobLatency;
  readonly response: JobLatency;
  readonly batch: BatchLatency;
  /**
   * Vector-store file batches: `queue` until the first file is worked on, `duration` to embed the whole
   * batch, `failRate` per file (a batch still ends `completed` when some of its files failed).
   */
  readonly fileBatch: JobLatency;
  /** Runs: `cancelling → cancelled`. */
  readonly runCancelling: Distribution;
  /** Per-model overrides of the run and response models. */
  readonly byModel?:
    | Readonly<Record<string, { readonly run?: JobLatency; readonly response?: JobLatency }>>
    | undefined;
}

/**
 * Defaults. OpenAI publishes no latency distributions (facts §8), so these are assumptions, chosen to
 * be plausible: runs "should almost immediately move to in_progress" (docs) and take seconds to tens
 * of seconds; `openai-processing-ms` captures are 213–391 ms for tiny completions; batches take up to
 * 24 h and "often more quickly". Lognormal because job durations have heavy right tails.
 */
export const DEFAULT_LATENCY: LatencyConfig = {
  request: { kind: 'lognormal', medianMs: 150, sigma: 0.3, maxMs: 2_000 },
  completion: { kind: 'lognormal', medianMs: 900, sigma: 0.5, maxMs: 30_000 },
  run: {
    queue: { kind: 'lognormal', medianMs: 500, sigma: 0.5, maxMs: 10_000 },
    duration: { kind: 'lognormal', medianMs: 8_000, sigma: 0.6, maxMs: 300_000 },
    failRate: 0.01,
  },
  response: {
    queue: { kind: 'lognormal', medianMs: 1_000, sigma: 0.5, maxMs: 30_000 },
    duration: { kind: 'lognormal', medianMs: 20_000, sigma: 0.7, maxMs: 1_200_000 },
    failRate: 0.01,
  },
  batch: {
    validating: { kind: 'lognormal', medianMs: 30_000, sigma: 0.5 },
    inProgress: { kind: 'lognormal', medianMs: 1_800_000, sigma: 0.8 },
    finalizing: { kind: 'lognormal', medianMs: 60_000, sigma: 0.5 },
    cancelling: { kind: 'lognormal', medianMs: 60_000, sigma: 0.5, maxMs: 600_000 },
  },
  // Ingestion time of a file batch: no figure published either; seconds for a few small files.
  fileBatch: {
    queue: { kind: 'lognormal', medianMs: 500, sigma: 0.5, maxMs: 10_000 },
    duration: { kind: 'lognormal', medianMs: 15_000, sigma: 0.8, maxMs: 600_000 },
    failRate: 0.01,
  },
  runCancelling: { kind: 'fixed', ms: 1_000 },
};
