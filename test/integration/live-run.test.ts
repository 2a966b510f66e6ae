import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { type SimulationConfig, simulatePoller } from '../../sim/engine.ts';
import { runLive } from '../../sim/live-run.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { FLOWS } from '../../sim/workloads/flows.ts';
import { SeededOpenAI } from '../../src/client/sdk-client.ts';
import { createRandom } from '../../src/core/random.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';
import { startHttpServer } from '../../src/server/http-server.ts';
import type { RequestRecord } from '../../src/server/request-record.ts';
import { quickWallClockMock } from '../helpers/wall-clock-mock.ts';

/**
 * A live run of `spec` against a mock identical to the one the simulator builds for `config`, with the
 * client the simulator's SDK transport gives client 0 (its key, its header, its seeded retry jitter).
 */
async function liveOnTheSimulatorsMock(config: SimulationConfig, spec: string, deadlineMs?: number) {
  return withVirtualSdk(
    { ...config.mock, seed: config.seed, orderSimultaneousRequests: true },
    async ({ mock, time }) => {
      const openai = new SeededOpenAI(
        {
          apiKey: 'sk-client-0',
          baseURL: mock.baseURL,
          fetch: mock.fetch,
          defaultHeaders: { 'x-pollbench-client': 'client-0' },
        },
        createRandom(config.seed).stream('client:0').stream('sdk-retry'),
      );
      const records: RequestRecord[] = [];
      const run = await runLive({
        openai,
        workload: config.workload,
        poller: parsePollerSpec(spec),
        publishedLimits:
          FLOWS[config.workload.flow].endpointLimits?.(config.mock).limits ??
          mock.core.limitsFor(config.workload.model)?.limits,
        clock: time.clock,
        seed: config.seed,
        deadlineMs,
        onRecord: (record) => records.push(record),
      });
      return { run, records, server: mock.requests };
    },
  );
}

describe('a live run, measured from its own traffic', () => {
  test.each([
    ['seed-article', 'fixed:interval=10s,gap=20s'],
    ['free-tier', 'sdk'],
    ['tier-1', 'adaptive'],
    ['batch', 'backoff'],
    ['vector-store', 'limiter'],
    ['flaky', 'adaptive'],
  ])('%s with %s: the figures the simulator computes for the same run', async (scenario, spec) => {
    const config = { ...loadScenario(scenario), transport: 'sdk' as const };
    const simulated = (await simulatePoller(config, parsePollerSpec(spec))).metrics;
    const { run } = await liveOnTheSimulatorsMock(config, spec);
    const { detectionDelayMs, detectionDelayPercentilesMs, efficiency, ...figures } = run.metrics;
    const {
      detectionDelayMs: simDelays,
      detectionDelayPercentilesMs: _,
      efficiency: __,
      ...simFigures
    } = simulated;
    expect(figures).toEqual(simFigures);
    expect(efficiency).toBeNull();
    expect(run.stopped).toBeNull();
    if (config.workload.flow === 'vector-store') {
      // A file batch's body does not say when it ended: no delay can be measured live.
      expect(detectionDelayMs).toEqual({ p50: null, p95: null, max: null });
      return;
    }
    // Measured against the API's whole-second end times, taken at the middle of their second: each
    // delay is off by at most half a second. A failed response's body says nothing of when it ended, so
    // with failures the live figures cover fewer jobs.
    for (const key of ['p50', 'p95', 'max'] as const) {
      const live = detectionDelayMs[key];
      const truth = simDelays[key];
      if (truth === null) expect(live).toBeNull();
      else if (figures.jobs.failed > 0) expect(live).not.toBeNull();
      else expect(Math.abs((live ?? Number.NaN) - truth)).toBeLessThanOrEqual(500);
    }
  });

  test('a deadline: the jobs not done by then count as abandoned, and none is lost', async () => {
    const config = loadScenario('free-tier');
    const { run } = await liveOnTheSimulatorsMock(config, 'adaptive', 60_000);
    expect(run.stopped).toBe('deadline of 60000 ms reached');
    const { completed, failed, abandoned } = run.metrics.jobs;
    expect(completed + failed + abandoned).toBe(config.workload.jobs * config.workload.clients);
    expect(abandoned).toBeGreaterThan(0);
    expect(run.metrics.makespanMs).toBeLessThanOrEqual(60_000);
  });

  test('over loopback HTTP on the wall clock: every request the server saw is counted', async () => {
    const mock = quickWallClockMock(3, 200, 800);
    const server = await startHttpServer(mock, { port: 0 });
    try {
      const base = loadScenario('tier-1');
      const run = await runLive({
        openai: new OpenAI({ apiKey: 'sk-test', baseURL: server.url }),
        workload: { ...base.workload, jobs: 3, workers: 3 },
        poller: parsePollerSpec('fixed:interval=200ms'),
        seed: 1,
      });
      expect(run.metrics.requests).toBe(mock.requests.length);
      expect(run.metrics.jobs.completed + run.metrics.jobs.failed).toBe(3);
      expect(run.metrics.detectionDelayMs.max).not.toBeNull();
      expect(run.seed).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('given the oracle or an oversized workload: a RangeError that says why', async () => {
    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1' });
    const { workload } = loadScenario('tier-1');
    await expect(runLive({ openai, workload, poller: parsePollerSpec('oracle') })).rejects.toThrow(
      /only a simulation can tell/,
    );
    await expect(
      runLive({ openai, workload: { ...workload, jobs: 2_000_000 }, poller: parsePollerSpec('fixed') }),
    ).rejects.toThrow(/workload\.jobs: at most 1,000,000 jobs/);
  });
});
