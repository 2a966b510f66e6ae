import { expect, test } from 'vitest';
import { simulationConfigProblem } from '../../sim/config-check.ts';
import { runSimulation } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import { DEFAULT_LATENCY } from '../../src/server/jobs/latency-config.ts';
import { TIER_TABLES } from '../../src/server/limits/tier-tables.ts';
import type { MockOpenAIOptions } from '../../src/server/mock-options.ts';

// Options built in code (a tier from an environment variable, JavaScript without the typings) were not
// checked: an unknown tier was a TypeError from deep inside the mock, a negative latency or a fail rate
// of 5 ran as something else without a word.
test.each([
  [{ tier: '9' }, "tier: expected one of '1', '2', '3', '4', '5', 'free'; got '9'"],
  [{ seed: -1 }, 'seed: expected a number ≥ 0; got -1'],
  [{ seed: 1.5 }, 'seed: expected an integer; got 1.5'],
  [
    { limits: { name: 'x', models: { m: { rpm: -1 } } } },
    'limits.models.m.rpm: expected a number > 0; got -1',
  ],
  [{ limits: { name: 'x' } }, 'limits.models: missing (expected a mapping)'],
  [{ latency: { request: { kind: 'fixed', ms: -5 } } }, 'latency.request.ms: expected a number ≥ 0; got -5'],
  [
    { latency: { request: { kind: 'gauss', ms: 5 } } },
    "latency.request.kind: expected one of 'fixed', 'uniform'",
  ],
  [
    { latency: { request: { kind: 'uniform', minMs: 5, maxMs: 1 } } },
    'latency.request.maxMs: expected maxMs ≥ minMs',
  ],
  [{ latency: { run: { failRate: 5 } } }, 'latency.run.failRate: expected a number ≤ 1; got 5'],
  [{ headers: { pollAfterMs: -5 } }, 'headers.pollAfterMs: expected a number ≥ 0; got -5'],
  [
    { limiter: { quantization: { quantumMs: 0 } } },
    'limiter.quantization.quantumMs: expected a slice longer than 0',
  ],
  [
    { faults: { windows: [{ kind: 'latency', fromMs: 5, toMs: 1 }] } },
    'faults.windows.0.toMs: expected toMs ≥ fromMs',
  ],
  [{ baseURL: 'api.openai.com' }, 'baseURL: expected an absolute URL'],
  [{ clock: {} }, 'clock: expected a clock: { now(), sleep(ms, signal?) }'],
  [{ maxBodyBytes: 0 }, 'maxBodyBytes: expected a number > 0; got 0'],
  // A misspelt route was ignored; a model without limits made every request of the route a 404.
  [{ countedRoutes: { 'runs.retrive': false } }, 'countedRoutes.runs.retrive: expected a route id such as'],
  [
    { countedRoutes: { 'runs.retrieve': 3 } },
    'countedRoutes.runs.retrieve: expected true, false (not counted)',
  ],
  [{ countedRoutes: { 'files.create': 'gpt-9' } }, 'countedRoutes.files.create: gpt-9 has no limits in free'],
])('createMockOpenAI(%j) throws a RangeError naming the option', (options, message) => {
  expect(() => createMockOpenAI(options as MockOpenAIOptions)).toThrow(
    expect.objectContaining({
      name: 'RangeError',
      message: expect.stringContaining(`createMockOpenAI: ${message}`),
    }),
  );
});

test('what the library itself hands the mock passes: tier tables, the default latencies, one field of a job', () => {
  expect(() => createMockOpenAI({ limits: TIER_TABLES['1'] })).not.toThrow();
  // A snapshot id resolves to its family's limits.
  expect(() =>
    createMockOpenAI({ countedRoutes: { 'files.create': 'gpt-3.5-turbo-1106', 'runs.retrieve': false } }),
  ).not.toThrow();
  expect(() =>
    createMockOpenAI({ latency: DEFAULT_LATENCY, latencyByModel: { m: DEFAULT_LATENCY } }),
  ).not.toThrow();
  // A fail rate alone keeps the default durations (serve's --run-fail-rate).
  expect(() =>
    createMockOpenAI({ latency: { run: { failRate: 0 } } as MockOpenAIOptions['latency'] }),
  ).not.toThrow();
});

test.each([
  [
    (w: Record<string, unknown>) => ({ workload: { ...w, jobs: -1 } }),
    'workload.jobs: expected a number ≥ 1; got -1',
  ],
  [
    (w: Record<string, unknown>) => ({ workload: { ...w, workers: 0 } }),
    'workload.workers: expected a number ≥ 1; got 0',
  ],
  [
    (w: Record<string, unknown>) => ({ workload: { ...w, flow: 'stream' } }),
    'workload.flow: expected one of',
  ],
  [
    (w: Record<string, unknown>) => ({ workload: { ...w, arrival: { kind: 'fixed-gap', gapMs: -1 } } }),
    'workload.arrival.gapMs: expected a number ≥ 0; got -1',
  ],
  [() => ({ seed: Number.NaN }), 'seed: expected a number; got NaN'],
  [() => ({ horizonMs: 0 }), 'horizonMs: expected a number > 0; got 0'],
  [() => ({ transport: 'http' }), "transport: expected one of 'fast', 'sdk'; got 'http'"],
  [
    () => ({ transport: 'sdk', pollers: [{ name: 'sdk', params: { lang: 'python' } }] }),
    'transport: sdk has lang=python, whose SDK rules only the fast transport emulates',
  ],
])('a simulation config built in code is checked before it runs: %#', async (edit, message) => {
  const base = tierPreset('1', 1);
  const config = { ...base, ...edit(base.workload as unknown as Record<string, unknown>) };
  // jobs: -1 ran nothing and reported every poller at 0 requests, as if that were a result.
  await expect(runSimulation(config as typeof base)).rejects.toThrow(`simulation config: ${message}`);
});

test('a config may carry fields of its own', () => {
  expect(simulationConfigProblem({ ...tierPreset('1', 1), note: 'mine' })).toBeUndefined();
});
