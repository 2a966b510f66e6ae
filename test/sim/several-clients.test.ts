import { describe, expect, test } from 'vitest';
import { runSimulation } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

/** Each poller's metrics at `seed`, in the order given (the oracle appended for efficiency). */
async function metricsOf(config: ReturnType<typeof loadScenario>, seed: number, specs: string[]) {
  const result = await runSimulation({ ...config, seed, pollers: [...specs, 'oracle'].map(parsePollerSpec) });
  // Runs come in the order of the pollers given.
  return specs.map((_, i) => result.pollers[i]?.metrics);
}

// What the README's "Several processes on one organization" says: uncoordinated copies of a program
// each count on the whole budget the headers announce, and get 429s; told how many share it, they do not.
describe('clients=N: copies of a program that share one organization’s limits', () => {
  test('shared-org (three seed programs, free tier): adaptive and limiter get 429s on every seed, and none told clients=3', async () => {
    const efficiencies: number[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const [adaptive, told, limiter, limiterTold] = await metricsOf(loadScenario('shared-org'), seed, [
        'adaptive',
        'adaptive:clients=3',
        'limiter',
        'limiter:clients=3',
      ]);
      expect(adaptive?.rateLimited, `seed ${seed}`).toBeGreaterThan(0);
      expect(limiter?.rateLimited, `seed ${seed}`).toBeGreaterThan(0);
      expect(told?.rateLimited, `seed ${seed}`).toBe(0);
      expect(limiterTold?.rateLimited, `seed ${seed}`).toBe(0);
      expect(told?.jobs.abandoned, `seed ${seed}`).toBe(0);
      expect(limiterTold?.jobs.abandoned, `seed ${seed}`).toBe(0);
      expect(told?.makespanMs, `seed ${seed}`).toBeLessThan(adaptive?.makespanMs as number);
      efficiencies.push(told?.efficiency as number);
    }
    const mean = efficiencies.reduce((a, b) => a + b, 0) / efficiencies.length;
    expect(mean).toBeGreaterThanOrEqual(0.97);
  });

  test('four clients of the tier-3 preset: hundreds of 429s for adaptive, none told clients=4, and sooner', async () => {
    const config = { ...tierPreset('3', 1) };
    const fourClients = { ...config, workload: { ...config.workload, clients: 4 } };
    const [adaptive, told] = await metricsOf(fourClients, 1, ['adaptive', 'adaptive:clients=4']);
    expect(adaptive?.rateLimited).toBeGreaterThan(100);
    expect(told?.rateLimited).toBe(0);
    expect(told?.jobs.abandoned).toBe(0);
    expect(told?.efficiency).toBeGreaterThan(adaptive?.efficiency as number);
    // Fewer requests too: each copy's polls are priced at its part of the budget.
    expect(told?.requests).toBeLessThan(adaptive?.requests as number);
  });

  test('eight clients of the tier-2 study, told clients=8: no 429 when the bucket first runs dry, at 150 ms or 600 ms a request', async () => {
    // Each copy's newest estimate is a round trip old, and the others' requests counted since are not
    // in it: without a reserve for them, the first minute's stock ran out with a few 429s (seed 1: 6 at
    // the default 150 ms latency; 9 at 600 ms on seed 2).
    const base = loadScenario('tier-2');
    const eight = { ...base, workload: { ...base.workload, clients: 8 } };
    const slow = {
      ...eight,
      mock: {
        ...eight.mock,
        latency: { ...eight.mock.latency, request: { kind: 'fixed' as const, ms: 600 } },
      },
    };
    for (const [config, seed] of [
      [eight, 1],
      [slow, 2],
    ] as const) {
      const [told] = await metricsOf(config, seed, ['adaptive:clients=8']);
      expect(told?.rateLimited, `seed ${seed}`).toBe(0);
      expect(told?.jobs.abandoned, `seed ${seed}`).toBe(0);
      expect(told?.efficiency, `seed ${seed}`).toBeGreaterThan(0.88);
    }
  });

  test('clients=1 is the default: the same run, request for request', async () => {
    const config = loadScenario('seed-article');
    const [adaptive, one, limiter, limiterOne] = await metricsOf(config, 2, [
      'adaptive',
      'adaptive:clients=1',
      'limiter',
      'limiter:clients=1',
    ]);
    expect(one).toEqual(adaptive);
    expect(limiterOne).toEqual(limiter);
  });

  test('a rate given to limiter is its own: clients divides only the published limits', async () => {
    const config = loadScenario('shared-org');
    const [given, givenTold] = await metricsOf(config, 1, ['limiter:rpm=3', 'limiter:clients=3,rpm=3']);
    expect(givenTold).toEqual(given);
  });
});
