import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Summary, summarize } from '../reports/summary.ts';
import { workerEnvironment } from '../src/cli/compile-cache.ts';
import { BUILT_IN_POLLERS, type PollerChoice } from '../src/pollers/registry.ts';
import type { RequestRecord } from '../src/server/request-record.ts';
import { PollerFailed, type RunSimulationOptions, runSimulation, type SimulationConfig } from './engine.ts';
import { heartbeatBuffer, watchHeartbeat } from './watchdog.ts';

/**
 * What a worker is asked (see seed-worker.ts): one seed, whether to send its request traces back, and
 * the pollers to simulate when they are not those of the config the worker was started with.
 */
export interface SeedRequest {
  readonly seed: number;
  readonly traces: boolean;
  readonly pollers?: readonly PollerChoice[] | undefined;
}

/** One poller's request trace, as a report writes it. */
export interface PollerTrace {
  readonly poller: string;
  readonly records: readonly RequestRecord[];
}

/** One simulation's summary and, when asked for, every poller's request trace. */
export interface SimulatedRun {
  readonly summary: Summary;
  readonly traces?: readonly PollerTrace[] | undefined;
}

/** A worker's answer for one seed (see seed-worker.ts). */
export type SeedAnswer =
  | SimulatedRun
  | { readonly failed: { readonly poller: string; readonly message: string } }
  | { readonly crashed: string };

/** What a worker posts: news of the poller it starts simulating, or its answer. */
export type WorkerNews =
  | { readonly poller: string; readonly index: number; readonly total: number }
  | SeedAnswer;

/**
 * Real time a worker's simulation may stand still (no virtual-time event, and no turn of its event
 * loop) before the worker is stopped as stuck: a poller that awaits only promises, never a timer or a
 * request, holds its thread for ever, and nothing in that thread can interrupt it. Far longer than any
 * real event takes. @unit milliseconds
 */
export const DEFAULT_STALL_MS = 20_000;

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
  /**
   * Run every seed in worker threads (the caller's runs none), each watched: one whose simulation stands
   * still for {@link stallMs} is stopped, and the study fails with {@link PollerFailed} naming the poller.
   * For pollers whose code is not trusted to yield (`sim` does it for those from `--import`). Needs a
   * config that can be copied to a thread. @defaultValue false
   */
  readonly isolated?: boolean | undefined;
  /** See {@link DEFAULT_STALL_MS}. @unit milliseconds @defaultValue {@link DEFAULT_STALL_MS} */
  readonly stallMs?: number | undefined;
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
  const threads = new SeedThreads(config, options);
  try {
    return await threads.study(seeds, { onProgress: options.onProgress });
  } finally {
    await threads.close();
  }
}

/** Options of one study of {@link SeedThreads}. */
export interface ThreadedStudyOptions {
  /** The pollers to simulate, in place of the config's. @defaultValue the config's */
  readonly pollers?: readonly PollerChoice[] | undefined;
  /** Called each time a seed is done, with how many are. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * The threads of a run of seed studies of one scenario, kept from one study to the next: what
 * {@link studySeeds} runs one study on, and `tunePoller` a study per round, each of other pollers. A
 * worker thread starts cold (it loads the simulator and warms its JIT up, about a second on the
 * project's 2-core machine), so a worker started by one study runs the seeds of the next. With
 * `threads: 'auto'`, the first study that is worth more threads (as {@link SeedStudyOptions.threads}
 * judges it) starts them, and every later study uses them. Call {@link close} when done.
 */
export class SeedThreads {
  private readonly config: SimulationConfig;
  private readonly options: Omit<SeedStudyOptions, 'onProgress'>;
  private readonly configMovable: boolean;
  private workers: SeedWorker[] = [];
  /** Isolated, the worker that takes the place of the caller's thread. */
  private first: SeedWorker | undefined;

  constructor(config: SimulationConfig, options: Omit<SeedStudyOptions, 'onProgress'> = {}) {
    this.config = config;
    this.options = options;
    this.configMovable = cloneable(config);
  }

  /**
   * Runs the config, with `pollers` in place of its own when given, once per seed, as
   * {@link studySeeds} does. A study that fails leaves the threads usable: a worker it stopped (a poller
   * held it still) is replaced by the next study that needs one.
   */
  async study(seeds: readonly number[], on: ThreadedStudyOptions = {}): Promise<SeedStudy> {
    const pollers = on.pollers ?? this.config.pollers;
    const config = on.pollers === undefined ? this.config : { ...this.config, pollers: [...pollers] };
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
        on.onProgress?.(++done, seeds.length);
      }
    };
    await this.dropDead();
    // Given modules, the caller vouches that they register every poller that is not built in.
    const modules = this.options.modules ?? [];
    const isolated = this.options.isolated === true;
    if (isolated) this.first ??= this.start();
    const first = this.first;
    const here = (seed: number) =>
      first === undefined ? runSeed(config, seed) : first.run(seed, on.pollers);

    const everywhere = modules.length > 0 || pollers.every((p) => BUILT_IN_POLLERS.has(p.name));
    const movable = isolated || (everywhere && this.configMovable && cloneable(pollers));
    const requested = movable ? (this.options.threads ?? 'auto') : 1;
    const most = (wanted: number) => Math.max(1, Math.min(seeds.length, MAX_THREADS, wanted));
    // Workers already started are warm: a later study uses them without judging again.
    let threads = most(requested === 'auto' ? 1 + this.workers.length : requested);
    if (requested === 'auto' && this.workers.length === 0) {
      await drive(here, true);
      const work = summaries[0]?.pollers.reduce((sum, p) => sum + p.requests, 0) ?? 0;
      const left = seeds.length - next;
      if (work * left >= PARALLEL_MIN_REQUESTS) threads = most(Math.min(1 + left, availableParallelism()));
    }
    while (this.workers.length < threads - 1) this.workers.push(this.start());
    const workers = this.workers.slice(0, threads - 1);
    await Promise.all([
      drive(here),
      ...workers.map((worker) => drive((seed) => worker.run(seed, on.pollers))),
    ]);
    if (failure !== undefined) throw failure.error;
    return { summaries, threads };
  }

  /** Worker threads started and kept for the next study (the caller's thread not counted). */
  get workerThreads(): number {
    return this.allWorkers().length;
  }

  /** Stops every worker thread. */
  async close(): Promise<void> {
    const all = this.allWorkers();
    this.workers = [];
    this.first = undefined;
    await Promise.all(all.map((w) => w.terminate()));
  }

  /** Every worker thread kept: the study's helpers, and the one in the caller's place when isolated. */
  private allWorkers(): SeedWorker[] {
    return [...this.workers, ...(this.first === undefined ? [] : [this.first])];
  }

  private start(): SeedWorker {
    return new SeedWorker(this.config, this.options.modules ?? [], { stallMs: this.options.stallMs });
  }

  /** Stops and forgets the workers a failed study left dead. */
  private async dropDead(): Promise<void> {
    const dead = this.allWorkers().filter((w) => w.failed);
    if (dead.length === 0) return;
    this.workers = this.workers.filter((w) => !w.failed);
    if (this.first?.failed === true) this.first = undefined;
    await Promise.all(dead.map((w) => w.terminate()));
  }
}

/** Whether `value` can be handed to a worker thread (a library caller's config may hold functions). */
function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * One simulation in the calling thread (the command's, or a worker's), summarised, with every poller's
 * request trace when `traces` is set (the config must ask for a trace).
 */
export async function simulateHere(
  config: SimulationConfig,
  traces: boolean,
  options: RunSimulationOptions = {},
): Promise<SimulatedRun> {
  const result = await runSimulation(config, options);
  return {
    summary: summarize(result),
    traces: traces ? result.pollers.map((p) => ({ poller: p.name, records: p.trace ?? [] })) : undefined,
  };
}

/** One seed of a study, in the caller's thread. */
async function runSeed(config: SimulationConfig, seed: number): Promise<Summary> {
  return (await simulateHere({ ...config, seed }, false)).summary;
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

/** Options of a {@link SeedWorker}. */
export interface SeedWorkerOptions {
  /** See {@link DEFAULT_STALL_MS}. @unit milliseconds @defaultValue {@link DEFAULT_STALL_MS} */
  readonly stallMs?: number | undefined;
  /** Called when the worker starts simulating a poller (the oracle first), as `runSimulation`'s. */
  readonly onPoller?: ((spec: string, index: number, total: number) => void) | undefined;
}

/**
 * A worker thread running one seed at a time of the study it was started with, and watching its
 * heartbeat (watchdog.ts): if the worker's simulation stands still for `stallMs` of real time, a poller
 * never yields, and the worker is stopped. Exported for tests.
 */
export class SeedWorker {
  private readonly worker: Worker;
  private pending:
    | {
        resolve: (answer: SimulatedRun) => void;
        reject: (error: unknown) => void;
      }
    | undefined;
  /** Why the thread died, if it did: every later seed fails with it. */
  private dead: unknown;
  private readonly heartbeat = heartbeatBuffer();
  private readonly stallMs: number;
  private readonly onPoller: SeedWorkerOptions['onPoller'];
  /** The poller being simulated, for the message when it is stuck. */
  private poller = 'oracle';
  private stopWatching: () => void = () => undefined;

  constructor(config: SimulationConfig, modules: readonly string[] = [], options: SeedWorkerOptions = {}) {
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    this.onPoller = options.onPoller;
    // With the compile cache (see workerEnvironment), a worker loads its modules already stripped: twice
    // as fast, and without starting Node's WebAssembly stripper in one more thread.
    this.worker = new Worker(WORKER_URL, {
      workerData: { config, modules, heartbeat: this.heartbeat },
      env: workerEnvironment(),
    });
    this.worker.on('message', (news: WorkerNews) => {
      if ('poller' in news) {
        this.poller = news.poller;
        this.onPoller?.(news.poller, news.index, news.total);
        return;
      }
      const pending = this.settle();
      if ('summary' in news) pending?.resolve(news);
      else if ('failed' in news) pending?.reject(pollerFailed(news.failed.poller, news.failed.message));
      else pending?.reject(new Error(news.crashed));
    });
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => this.die(new Error(`a seed-study worker thread exited (code ${code})`)));
  }

  /** One seed's summary, of `pollers` in place of the config's when given. */
  async run(seed: number, pollers?: readonly PollerChoice[]): Promise<Summary> {
    return (await this.simulate(seed, false, pollers)).summary;
  }

  /**
   * One seed's summary and, with `traces`, every poller's request trace (the config must ask for them),
   * of `pollers` in place of the config's when given.
   */
  simulate(seed: number, traces: boolean, pollers?: readonly PollerChoice[]): Promise<SimulatedRun> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.watchHeart();
      this.worker.postMessage({ seed, traces, pollers } satisfies SeedRequest);
    });
  }

  /** Whether the thread died or was stopped as stuck: every later seed would fail. */
  get failed(): boolean {
    return this.dead !== undefined;
  }

  async terminate(): Promise<void> {
    this.stopWatching();
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private watchHeart(): void {
    this.stopWatching = watchHeartbeat(this.heartbeat, this.stallMs, () => {
      this.die(
        pollerFailed(
          this.poller,
          `poller '${this.poller}' failed: it held the simulation still for ${this.stallMs / 1000} s of real time (no timer, no request); a poller must await ctx.clock.sleep or a request between checks, and one that awaits only promises never lets virtual time move`,
        ),
      );
      void this.worker.terminate();
    });
  }

  /** The seed in flight, if any, now answered. */
  private settle() {
    this.stopWatching();
    const pending = this.pending;
    this.pending = undefined;
    return pending;
  }

  private die(error: unknown): void {
    this.dead ??= error;
    this.settle()?.reject(this.dead);
  }
}

/**
 * Runs one simulation of `config` in a watched worker thread (see {@link SeedWorker}): what `sim` does
 * for pollers from `--import`, whose code may never yield. The worker imports `modules` first.
 * @returns its summary and, when the config asks for a trace, every poller's request trace
 * @throws {@link PollerFailed} when a poller throws or holds the simulation still for `stallMs`
 */
export async function simulateInWorker(
  config: SimulationConfig,
  modules: readonly string[],
  options: SeedWorkerOptions = {},
): Promise<SimulatedRun> {
  const worker = new SeedWorker(config, modules, options);
  try {
    return await worker.simulate(config.seed, config.trace === true);
  } finally {
    await worker.terminate();
  }
}
