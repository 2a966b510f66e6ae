import { describe, expect, test, vi } from 'vitest';
import { type PollerRun, runSimulation, simulatePoller } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { createRandom } from '../../src/core/random.ts';
import { DurationModel } from '../../src/pollers/duration-model.ts';
import { secondShare } from '../../src/pollers/per-second-guard.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';
import { DEFAULT_LATENCY } from '../../src/server/jobs/latency-config.ts';
import { sample } from '../../src/server/latency.ts';
import { type FrontierPoint, pollFrontier } from '../helpers/poll-frontier.ts';

// Why adaptive stays near 0.83 of the oracle on `burst`: not because it learns job durations too
// slowly, but because the request budget binds, and more so under its per-second guard (on by default:
// never more than ⌊500/60⌋ = 8 requests in a second), which leaves the bucket's burst unspent. Every
// duration model adaptive creates here can be handed the run's true durations in advance (test-only,
// through the module mock below).
const prior = vi.hoisted(() => ({ durationsMs: [] as number[] }));

vi.mock('../../src/pollers/duration-model.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/pollers/duration-model.ts')>();
  class Primed extends actual.DurationModel {
    constructor() {
      super(4096);
      for (const duration of prior.durationsMs) this.add(duration);
    }
  }
  return { ...actual, DurationModel: Primed };
});

describe('burst: the budget binds, not the learning', () => {
  test('adaptive told every job duration in advance finishes no sooner; with its per-second guard, below 0.9', async () => {
    const scenario = loadScenario('burst');
    const oracle = await simulatePoller(scenario, parsePollerSpec('oracle'));
    const run = async (spec: string, primed: boolean) => {
      prior.durationsMs = primed ? oracle.outcomes.map((o) => o.finishedAtMs - o.startedAtMs) : [];
      return simulatePoller({ ...scenario, trace: true }, parsePollerSpec(spec));
    };
    expect(oracle.outcomes).toHaveLength(scenario.workload.jobs);

    const makespans = new Map<string, number>();
    for (const spec of ['adaptive', 'adaptive:quantized=no']) {
      const learned = await run(spec, false);
      const told = await run(spec, true);
      // The mock is in place: a new model starts out knowing every duration.
      expect(new DurationModel().doneProbability(oracle.metrics.makespanMs)).toBeCloseTo(0.999);
      expect(told.metrics.requests, spec).not.toBe(learned.metrics.requests);
      expect(told.metrics.rateLimited, spec).toBe(0);
      expect(told.metrics.makespanMs, spec).toBeGreaterThan(0.98 * learned.metrics.makespanMs);
      makespans.set(spec, told.metrics.makespanMs);
      if (spec !== 'adaptive') continue;
      expect(oracle.metrics.makespanMs / told.metrics.makespanMs, spec).toBeLessThan(0.9);

      // While jobs are still being started, the client sends at the request limit (500 RPM, less the
      // per-second guard's rounding): each extra poll delays a job start, so knowing better when jobs
      // end can only move polls, not add them.
      const trace = told.trace ?? [];
      const lastCreate = Math.max(...trace.filter((r) => r.method === 'POST').map((r) => r.atMs));
      const from = 30_000;
      const sent = trace.filter((r) => r.atMs >= from && r.atMs < lastCreate).length;
      const perSecond = sent / ((lastCreate - from) / 1000);
      expect(perSecond, spec).toBeGreaterThan(0.9 * (500 / 60));
    }
    // Without the guard (burst's server enforces no per-second limit) the bucket's 500 requests go out
    // at the start as the oracle's do, and the same poller finishes sooner by more than 5 %.
    expect(makespans.get('adaptive:quantized=no')).toBeLessThan(0.95 * (makespans.get('adaptive') ?? 0));
  });
});

// The same two scenarios fall short of 0.9 with the guard, and for the same reason. A job costs one
// create and its polls out of the guard's limit/60 requests a second, and once every worker is busy a
// job starts as soon as a worker sees its previous one end: each worker's cycle is the job's duration,
// the detection delay, the answer to that last poll, and whatever uncounted requests start the next job.
// A poller that polls `polls` times a job at a mean delay `delayMs` starts at most the lesser of the two
// rates, and the frontier gives the smallest mean delay for each number of polls.
describe.each([
  { name: 'burst', jobs: 1_600, kind: 'response', create: 'responses.create', uncounted: 0 },
  // Each batch's three file uploads count against no limit, but take a request's time each.
  {
    name: 'vector-store',
    jobs: 800,
    kind: 'fileBatch',
    create: 'vectorStores.fileBatches.create',
    uncounted: 3,
  },
] as const)('$name under the per-second guard', ({ name, jobs, kind, create, uncounted }) => {
  test('adaptive starts jobs as fast as any poller can that does not know when each one ends', async () => {
    // Four times the scenario's jobs, so that the rate is measured over many jobs per worker rather than
    // over one seed's few durations.
    const loaded = loadScenario(name);
    const scenario = { ...loaded, workload: { ...loaded.workload, jobs } };
    // The scenario keeps the mock's default latencies, which the bound below is computed from.
    expect(scenario.mock.latency).toBeUndefined();
    const { request } = DEFAULT_LATENCY;
    const job = DEFAULT_LATENCY[kind];
    const random = createRandom(7).stream('frontier');
    const durations = Array.from(
      { length: 20_000 },
      () => sample(job.queue, random) + sample(job.duration, random),
    );
    const latency = mean(Array.from({ length: 20_000 }, () => sample(request, random)));
    const result = await runSimulation({ ...scenario, trace: true, pollers: [parsePollerSpec('adaptive')] });
    const perSecond = secondShare(result.limits?.rpm ?? 0);
    expect(perSecond).toBe(name === 'burst' ? 8 : 5);

    const costs = Array.from({ length: 48 }, (_, i) => 100 * 1.2 ** i);
    const workers = scenario.workload.workers;
    const cycleMs = mean(durations) + (1 + uncounted) * latency;
    const rate = ({ polls, delayMs }: FrontierPoint) =>
      Math.min(perSecond / (1 + polls), (1000 * workers) / (cycleMs + delayMs));
    const best = pollFrontier(durations, costs, 200).reduce((a, b) => (rate(b) > rate(a) ? b : a));
    const bound = rate(best);

    // Job starts a second once every worker is busy (from the first minute to the last), in steady state.
    const startRate = (run: PollerRun) => {
      const creates = (run.trace ?? []).filter((r) => r.route === create).map((r) => r.atMs);
      const to = Math.max(...creates) - 60_000;
      return creates.filter((t) => t >= 60_000 && t < to).length / ((to - 60_000) / 1000);
    };
    const [adaptive, oracle] = result.pollers as [PollerRun, PollerRun];
    expect(adaptive.metrics.rateLimited).toBe(0);
    console.log(
      `${name}: adaptive starts ${startRate(adaptive).toFixed(2)} jobs a second, the oracle ` +
        `${startRate(oracle).toFixed(2)}; the bound under the guard is ${bound.toFixed(2)}, at ` +
        `${best.polls.toFixed(2)} polls a job and a mean delay of ${(best.delayMs / 1000).toFixed(1)} s`,
    );
    // Within the slack of the model (the grid, job failures, a create's wait for a slot).
    expect(startRate(adaptive)).toBeGreaterThan(0.93 * bound);
    expect(startRate(adaptive)).toBeLessThan(1.07 * bound);
    // The oracle, one poll a job at no delay and no guard, starts them well faster.
    expect(bound).toBeLessThan(0.85 * startRate(oracle));
  });
});

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
