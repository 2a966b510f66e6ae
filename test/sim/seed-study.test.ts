import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { summarize } from '../../reports/summary.ts';
import { PollerFailed, runSimulation } from '../../sim/engine.ts';
import {
  PARALLEL_MIN_REQUESTS,
  SeedThreads,
  SeedWorker,
  simulateInWorker,
  studySeeds,
} from '../../sim/seed-study.ts';
import { TERMINAL } from '../../src/client/api-client.ts';
import { parsePollerSpec, registerPoller } from '../../src/pollers/registry.ts';
import '../helpers/every-2s-poller.ts';
import { cacheEntries } from '../helpers/compile-cache.ts';
import { smallPreset } from '../helpers/sim-configs.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Which runs of `test-fails-sometimes` throw, counted from 1 across the file.
let started = 0;
const FAILING_RUNS = new Set([2, 3]);
registerPoller('test-fails-sometimes', {
  summary: 'throws a bug in the runs listed in FAILING_RUNS',
  params: {},
  factory: (ctx, params) => {
    const run = ++started;
    return {
      name: 'test-fails-sometimes',
      params,
      maxRetries: 0,
      gapMs: 0,
      send: (r) => ctx.client.send(r),
      async waitFor(target) {
        if (FAILING_RUNS.has(run)) throw new TypeError(`bug in run ${run}`);
        let body = target.initial;
        while (!TERMINAL[target.kind].has(body.status)) {
          await ctx.clock.sleep(2_000);
          body = (await ctx.client.send<typeof body>(target.retrieve)).data;
        }
        return body;
      },
    };
  },
});

const config = {
  ...smallPreset('1', 1, { jobs: 6, workers: 3 }),
  pollers: ['fixed:interval=2s', 'adaptive'].map(parsePollerSpec),
};

describe('a study across seeds', () => {
  test('gives the same summaries, in list order, on one thread and on worker threads', async () => {
    const seeds = [4, 1, 9];
    const one = await studySeeds(config, seeds, { threads: 1 });
    const three = await studySeeds(config, seeds, { threads: 3 });
    expect(one.threads).toBe(1);
    expect(three.threads).toBe(3);
    expect(one.summaries.map((s) => s.seed)).toEqual(seeds);
    expect(JSON.stringify(three.summaries)).toBe(JSON.stringify(one.summaries));
  });

  test('the SDK transport too: each worker fakes its own globals', async () => {
    const sdk = { ...config, transport: 'sdk' as const };
    const one = await studySeeds(sdk, [2, 3], { threads: 1 });
    const two = await studySeeds(sdk, [2, 3], { threads: 2 });
    expect(two.threads).toBe(2);
    expect(JSON.stringify(two.summaries)).toBe(JSON.stringify(one.summaries));
  });

  test('auto stays on one thread when the seeds left are too little work to start a worker for', async () => {
    const progress: number[] = [];
    const study = await studySeeds(config, [1, 2, 3], { onProgress: (done) => progress.push(done) });
    const perSeed = study.summaries[0]?.pollers.reduce((sum, p) => sum + p.requests, 0) as number;
    expect(perSeed * 2).toBeLessThan(PARALLEL_MIN_REQUESTS);
    expect(study.threads).toBe(1);
    expect(progress).toEqual([1, 2, 3]);
  });

  test('never more threads than seeds', async () => {
    expect((await studySeeds(config, [7], { threads: 4 })).threads).toBe(1);
  });

  test('a registered poller exists only in this thread, so the study stays here', async () => {
    const custom = { ...config, pollers: [parsePollerSpec('test-fails-sometimes')] };
    FAILING_RUNS.clear();
    const study = await studySeeds(custom, [1, 2], { threads: 2 });
    expect(study.threads).toBe(1);
    expect(study.summaries.map((s) => s.pollers[0]?.jobs.completed)).toEqual([6, 6]);
    // So does a config a thread cannot be handed (a library caller's may hold functions).
    const withFunction = { ...config, note: () => 'not cloneable' };
    expect((await studySeeds(withFunction, [1, 2], { threads: 2 })).threads).toBe(1);
  });

  test('a registered poller goes to worker threads with the module that registers it', async () => {
    const custom = { ...config, pollers: ['test-every-2s', 'adaptive'].map(parsePollerSpec) };
    const modules = [new URL('../helpers/every-2s-poller.ts', import.meta.url).href];
    const one = await studySeeds(custom, [1, 2, 3], { threads: 1 });
    const three = await studySeeds(custom, [1, 2, 3], { threads: 3, modules });
    expect(three.threads).toBe(3);
    expect(JSON.stringify(three.summaries)).toBe(JSON.stringify(one.summaries));
    // A module that fails to load in a worker fails the seed it was to run, not silently.
    const broken = await studySeeds(custom, [1, 2], {
      threads: 2,
      modules: ['file:///no/such/module.ts'],
    }).catch((e: unknown) => e);
    expect(String(broken)).toMatch(/no\/such\/module\.ts/);
  });

  test('a poller that throws stops the study at the first failing seed in the list, named', async () => {
    started = 0;
    FAILING_RUNS.clear();
    for (const run of [2, 4]) FAILING_RUNS.add(run);
    const custom = { ...config, pollers: [parsePollerSpec('test-fails-sometimes')] };
    const error = await studySeeds(custom, [5, 6, 7, 8]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollerFailed);
    expect((error as Error).message).toBe("poller 'test-fails-sometimes' failed: bug in run 2 (at --seed 6)");
    // Nothing after the failing seed was started (on one thread; workers may be running later seeds).
    expect(started).toBe(2);
  });

  test("worker threads load their modules through Node's compile cache", async () => {
    // In Node's default folder, <system temp>/node-compile-cache: a worker does not inherit a cache
    // turned on in code, so the study has to hand it the folder.
    const temp = tempDir('temp');
    const before = { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE, TMPDIR: process.env.TMPDIR };
    delete process.env.NODE_COMPILE_CACHE;
    process.env.TMPDIR = temp;
    try {
      expect((await studySeeds(config, [1, 2], { threads: 2 })).threads).toBe(2);
    } finally {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    // This thread loads its modules through vitest, not Node's loader: the entries are the worker's.
    expect(cacheEntries(join(temp, 'node-compile-cache'))).toBeGreaterThan(5);
  });

  test("a worker thread's failures come back as the caller's errors", async () => {
    // A name no thread knows: the worker's engine fails the poller, as the caller's would.
    const unknown = new SeedWorker({ ...config, pollers: [{ name: 'no-such-poller', params: {} }] });
    try {
      const error = await unknown.run(3).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PollerFailed);
      expect((error as Error).message).toBe("poller 'no-such-poller' failed: unknown poller");
    } finally {
      await unknown.terminate();
    }
    // A bug outside any poller keeps its stack.
    const broken = new SeedWorker({ ...config, workload: undefined as never });
    try {
      const error = await broken.run(3).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/\n\s+at /);
    } finally {
      await broken.terminate();
    }
  });
});

describe('threads kept across studies (what --tune runs its rounds on)', () => {
  test('each study of other pollers gives what a study of its own gives, on the same worker', async () => {
    const threads = new SeedThreads(config, { threads: 2 });
    try {
      for (const specs of [['fixed:interval=3s'], ['backoff', 'fixed:interval=5s'], ['adaptive']]) {
        const pollers = specs.map(parsePollerSpec);
        const kept = await threads.study([2, 5, 3], { pollers });
        const alone = await studySeeds({ ...config, pollers }, [2, 5, 3], { threads: 1 });
        expect(kept.threads).toBe(2);
        expect(JSON.stringify(kept.summaries)).toBe(JSON.stringify(alone.summaries));
        expect(threads.workerThreads).toBe(1);
      }
      // Without pollers, the config's own.
      const own = await threads.study([1, 2]);
      expect(JSON.stringify(own.summaries)).toBe(
        JSON.stringify((await studySeeds(config, [1, 2])).summaries),
      );
    } finally {
      await threads.close();
    }
    expect(threads.workerThreads).toBe(0);
  });

  test('a worker a stuck poller stopped is replaced by the next study', async () => {
    const SPIN = new URL('../helpers/spin-poller.ts', import.meta.url).href;
    const EVERY_2S = new URL('../helpers/every-2s-poller.ts', import.meta.url).href;
    const threads = new SeedThreads(config, { modules: [SPIN, EVERY_2S], isolated: true, stallMs: 1_000 });
    try {
      const stuck = await threads
        .study([3], { pollers: [{ name: 'test-spin', params: {} }] })
        .catch((e) => e);
      expect(stuck).toBeInstanceOf(PollerFailed);
      const pollers = [parsePollerSpec('test-every-2s')];
      const next = await threads.study([3, 4], { pollers });
      expect(JSON.stringify(next.summaries)).toBe(
        JSON.stringify((await studySeeds({ ...config, pollers }, [3, 4], { threads: 1 })).summaries),
      );
      expect(threads.workerThreads).toBe(1);
    } finally {
      await threads.close();
    }
  });
});

describe('watched worker threads (pollers from --import)', () => {
  const EVERY_2S = new URL('../helpers/every-2s-poller.ts', import.meta.url).href;
  const SPIN = new URL('../helpers/spin-poller.ts', import.meta.url).href;
  const custom = { ...config, pollers: ['test-every-2s', 'adaptive'].map(parsePollerSpec) };

  test('an isolated study runs no seed in this thread, and gives the same summaries', async () => {
    const here = await studySeeds(custom, [1, 2, 3], { threads: 1 });
    for (const threads of [1, 2] as const) {
      const isolated = await studySeeds(custom, [1, 2, 3], { threads, modules: [EVERY_2S], isolated: true });
      expect(isolated.threads).toBe(threads);
      expect(JSON.stringify(isolated.summaries)).toBe(JSON.stringify(here.summaries));
    }
  });

  test('one run in a worker: the same summary and traces as here, and each poller announced', async () => {
    const traced = { ...custom, seed: 4, trace: true };
    const result = await runSimulation(traced);
    const announced: string[] = [];
    const there = await simulateInWorker(traced, [EVERY_2S], { onPoller: (spec) => announced.push(spec) });
    expect(JSON.stringify(there.summary)).toBe(JSON.stringify(summarize(result)));
    expect(there.traces).toEqual(result.pollers.map((p) => ({ poller: p.name, records: p.trace })));
    expect(announced).toEqual(['oracle', 'test-every-2s', 'adaptive']);
  });

  test('a slow poller that moves is not taken for a stuck one', async () => {
    const SLOW = new URL('../helpers/slow-poller.ts', import.meta.url).href;
    // One job of ~20 s polled every 2 s: about ten polls, each blocking the worker 150 ms, so the run
    // takes well over the 500 ms the watch allows a stillness.
    const slow = {
      ...smallPreset('1', 1, { jobs: 1, workers: 1 }),
      pollers: [{ name: 'test-slow', params: {} }],
    };
    const started = process.hrtime.bigint();
    const { summary } = await simulateInWorker(slow, [SLOW], { stallMs: 500 });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThan(1_000);
    expect(summary.pollers.find((p) => p.name === 'test-slow')?.jobs.completed).toBe(1);
  });

  test('a poller that awaits only promises is stopped and named, in one run and in a study', async () => {
    // Not registered in this thread (it must never run here): named as the worker knows it.
    const spinning = { ...config, pollers: [parsePollerSpec('adaptive'), { name: 'test-spin', params: {} }] };
    const once = await simulateInWorker(spinning, [SPIN], { stallMs: 1_000 }).catch((e: unknown) => e);
    expect(once).toBeInstanceOf(PollerFailed);
    expect((once as PollerFailed).poller).toBe('test-spin');
    expect((once as Error).message).toMatch(
      /^poller 'test-spin' failed: it held the simulation still for 1 s of real time \(no timer, no request\)/,
    );
    const study = await studySeeds(spinning, [3, 4], {
      modules: [SPIN],
      isolated: true,
      threads: 2,
      stallMs: 1_000,
    }).catch((e: unknown) => e);
    expect(study).toBeInstanceOf(PollerFailed);
    expect((study as Error).message).toMatch(/^poller 'test-spin' failed: it held .* \(at --seed 3\)$/);
  });
});
