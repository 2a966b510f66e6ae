import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Summary, summarize } from '../reports/summary.ts';
import { BUILT_IN_POLLERS } from '../src/pollers/registry.ts';
import { PollerFailed, runSimulation, type SimulationConfig } from './engine.ts';

/** A worker's answer for one seed (see seed-worker.ts). */
export type SeedAnswer =
  | { readonly summary: Summary }
  | { readonly failed: { readonly poller: string; readonly message: string } }
  | { readonly crashed: string };

/** Options of {@link studySeeds}. */
export interface SeedStudyOptions {
  /**
   * Threads that run seeds, the caller's included, at most one per seed and {@link MAX_THREADS}. `1`
   * runs every seed in the caller's thread. `'auto'` runs the first seed there, then one thread per core
   * if the rest are worth it (at least {@link PARALLEL_MIN_REQUESTS} simulated requests, judged by the
   * first seed). The summaries are the same either way. Pollers added with `registerPoller` exist only in
   * the caller's thread unless {@link modules} registers them in each worker, so a study with one runs
   * there otherwise (and so does a config that cannot be copied to a thread). @defaultValue `'auto'`
   */
  readonly threads?: number | 'auto' | undefined;
  /**
   * Modules (file URLs) that register every poller of the config that is not built in; each worker
   * thread imports them, in order, before its first seed (what `sim --import` passes). @defaultValue none
   */
  readonly modules?: readonly string[] | undefined;
  /** Called each time a seed is done, with how many are. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** What a study found, and on how many threads. */
export interface SeedStudy {
  /** One summary per seed, in the order of the list. */
  readonly summaries: readonly Summary[];
  /** Threads that ran seeds (1: only the caller's). */
  readonly threads: number;
}

/**
 * Below this many simulated requests left after the first seed, `'auto'` stays on one thread. A worker
 * starts cold: it loads the simulator (~0.35 s) and runs its first seed before the JIT has warmed up,
 * about a second in all on the project's 2-core machine, while the caller's thread is already warm
 * (`npm run bench`, the seed-study lines). Counted, not timed, so the choice is the same on every machine.
 */
export const PARALLEL_MIN_REQUESTS = 200_000;

/** Most threads a study uses: each holds a simulator of its own (~70 MB, measured with 16). */
export const MAX_THREADS = 64;

// The worker's file has this module's own extension: .ts in the repository, .js in an installed copy
// (compiled into dist/, where Node would refuse to strip types).
const WORKER_URL = new URL(`./seed-worker${extname(new URL(import.meta.url).pathname)}`, import.meta.url);

/**
 * Runs `config` once per seed and summarises each run. Seeds are independent runs, so they may go to
 * worker threads, each with its own clock, mock and globals (the SDK transport fakes the globals), while
 * the caller's thread runs seeds too. Each thread takes the next seed in the list when it is free. The
 * summaries come back in the list's order and are byte-identical whatever the number of threads. A
 * poller that throws stops the study with {@link PollerFailed} for the first seed in the list at which
 * one did, as a one-thread run would; its message names the seed.
 */
export async function studySeeds(
  config: SimulationConfig,
  seeds: readonly number[],
  options: SeedStudyOptions = {},
): Promise<SeedStudy> {
  const summaries: Summary[] = [];
  let next = 0;
  let done = 0;
  let failure: { readonly index: number; readonly error: unknown } | undefined;
  // Seeds are handed out in order, and none after a failed one: the failure reported is the first in
  // the list, as with one thread.
  const take = () => (next < seeds.length && (failure === undefined || next < failure.index) ? next++ : -1);
  const drive = async (run: (seed: number) => Promise<Summary>, once = false) => {
    for (let index = take(); index >= 0; index = once ? -1 : take()) {
      const seed = seeds[index] as number;
      try {
        summaries[index] = await run(seed);
      } catch (error) {
        if (failure === undefined || index < failure.index)
          failure = { index, error: error instanceof PollerFailed ? atSeed(error, seed) : error };
      }
      options.onProgress?.(++done, seeds.length);
    }
  };
  const here = (seed: number) => runSeed(config, seed);

  // Given modules, the caller vouches that they register every poller that is not built in.
  const modules = options.modules ?? [];
  const everywhere = modules.length > 0 || config.pollers.every((p) => BUILT_IN_POLLERS.has(p.name));
  const movable = everywhere && cloneable(config);
  const requested = movable ? (options.threads ?? 'auto') : 1;
  let threads = Math.max(1, Math.min(seeds.length, MAX_THREADS, requested === 'auto' ? 1 : requested));
  if (requested === 'auto') {
    await drive(here, true);
    const work = summaries[0]?.pollers.reduce((sum, p) => sum + p.requests, 0) ?? 0;
    const left = seeds.length - next;
    if (work * left >= PARALLEL_MIN_REQUESTS)
      threads = Math.min(1 + left, availableParallelism(), MAX_THREADS);
  }
  const workers = Array.from({ length: threads - 1 }, () => new SeedWorker(config, modules));
  try {
    await Promise.all([drive(here), ...workers.map((worker) => drive((seed) => worker.run(seed)))]);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  if (failure !== undefined) throw failure.error;
  return { summaries, threads };
}

/** Whether `config` can be handed to a worker thread (a library caller's config may hold functions). */
function cloneable(config: SimulationConfig): boolean {
  try {
    structuredClone(config);
    return true;
  } catch {
    return false;
  }
}

/** One seed of a study, in whichever thread calls it (the caller's or a worker's). */
export async function runSeed(config: SimulationConfig, seed: number): Promise<Summary> {
  return summarize(await runSimulation({ ...config, seed }));
}

/** A poller's failure with a message given whole (as it crossed a thread, or with the seed added). */
function pollerFailed(poller: string, message: string): PollerFailed {
  const error = new PollerFailed(poller, undefined);
  error.message = message;
  return error;
}

/** The same failure, naming the seed to replay it with. */
function atSeed(error: PollerFailed, seed: number): PollerFailed {
  return pollerFailed(error.poller, `${error.message} (at --seed ${seed})`);
}

/** A worker thread running one seed at a time of the study it was started with. Exported for tests. */
export class SeedWorker {
  private readonly worker: Worker;
  private pending: { resolve: (summary: Summary) => void; reject: (error: unknown) => void } | undefined;
  /** Why the thread died, if it did: every later seed fails with it. */
  private dead: unknown;

  constructor(config: SimulationConfig, modules: readonly string[] = []) {
    this.worker = new Worker(WORKER_URL, { workerData: { config, modules } });
    this.worker.on('message', (answer: SeedAnswer) => {
      const pending = this.pending;
      this.pending = undefined;
      if ('summary' in answer) pending?.resolve(answer.summary);
      else if ('failed' in answer) pending?.reject(pollerFailed(answer.failed.poller, answer.failed.message));
      else pending?.reject(new Error(answer.crashed));
    });
    const die = (error: unknown) => {
      this.dead ??= error;
      this.pending?.reject(this.dead);
      this.pending = undefined;
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`a seed-study worker thread exited (code ${code})`)));
  }

  run(seed: number): Promise<Summary> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    return new Promise<Summary>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(seed);
    });
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
