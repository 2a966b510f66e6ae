import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { liveSummary, renderLiveConsole } from '../../reports/live-summary.ts';
import { summarize } from '../../reports/summary.ts';
import { runSimulation, type SimulationConfig, simulatePoller } from '../../sim/engine.ts';
import { type LiveRunOptions, runLive } from '../../sim/live-run.ts';
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
async function liveOnTheSimulatorsMock(
  config: SimulationConfig,
  spec: string,
  deadlineMs?: number,
  more: Pick<LiveRunOptions, 'signal' | 'cancelUnfinished'> & {
    /** Called with each record and its number from 1; may abort the run's signal. */
    readonly onRecord?: (record: RequestRecord, n: number) => void;
  } = {},
) {
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
        signal: more.signal,
        cancelUnfinished: more.cancelUnfinished,
        onRecord: (record) => {
          records.push(record);
          more.onRecord?.(record, records.length);
        },
      });
      const returnedAtMs = time.now;
      // Ten minutes on: whatever of the run was still going has had every chance to send again.
      await time.clock.sleep(600_000);
      return { run, records, server: mock.requests, returnedAtMs };
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

  describe('cut short by its deadline or its signal', () => {
    const base = loadScenario('tier-1');
    // Six responses of 3 s or more, cut at 2 s: none has ended.
    const config = {
      ...base,
      workload: { ...base.workload, jobs: 6, workers: 6 },
      mock: {
        ...base.mock,
        latency: {
          response: {
            queue: { kind: 'fixed', ms: 0 },
            duration: { kind: 'uniform', minMs: 3_000, maxMs: 9_000 },
          },
        },
      },
    } as SimulationConfig;

    test('the jobs it had not seen end are cancelled, and nothing of the run is sent after', async () => {
      const { run, records, server, returnedAtMs } = await liveOnTheSimulatorsMock(config, 'adaptive', 2_000);
      expect(run.stopped).toBe('deadline of 2000 ms reached');
      expect(run.metrics.jobs).toEqual({ completed: 0, failed: 0, abandoned: 6 });
      const created = records.filter((r) => r.route === 'responses.create').map((r) => r.jobId);
      expect(created).toHaveLength(6);
      expect(run.cancels.map((c) => c.id).sort()).toEqual([...created].sort());
      for (const cancel of run.cancels)
        expect(cancel).toMatchObject({ object: 'response', status: 'cancelled', error: null });
      // After the stop, the server saw the cancels and nothing else; the run's records have none of them.
      const after = server.filter((r) => r.atMs >= 2_000);
      expect(after.map((r) => r.route)).toEqual(Array(6).fill('responses.cancel'));
      expect(after.every((r) => r.atMs <= returnedAtMs)).toBe(true);
      expect(records.some((r) => r.route === 'responses.cancel')).toBe(false);
    });

    test('its signal stops it as the deadline does, saying why; given already aborted, it rejects at once', async () => {
      const signal = new AbortController();
      const { run, server } = await liveOnTheSimulatorsMock(config, 'fixed:interval=1s', undefined, {
        signal: signal.signal,
        onRecord: (_, n) => {
          if (n === 9) signal.abort('enough');
        },
      });
      expect(run.stopped).toBe('interrupted: enough');
      expect(run.metrics.requests).toBe(9);
      expect(run.metrics.jobs.abandoned).toBe(6);
      expect(run.cancels).toHaveLength(6);
      expect(server.filter((r) => r.route === 'responses.cancel')).toHaveLength(6);
      await expect(
        liveOnTheSimulatorsMock(config, 'adaptive', undefined, { signal: signal.signal }),
      ).rejects.toBe('enough');
    });

    test.each([
      ['batch', 'fixed:interval=10s', 60_000, 'batch', ['cancelling']],
      ['vector-store', 'adaptive', 4_000, 'vector_store.files_batch', ['cancelled', 'cancelling']],
      ['tier-1', 'sdk', 3_000, 'response', ['cancelled']],
      // At tier 1: on the free tier's 3 RPM, a cancel waits for the budget, and the run may end first.
      ['seed-article', 'adaptive', 6_000, 'thread.run', ['cancelling']],
    ])(
      '%s with %s, cut at %i ms: each kind of job is cancelled through its own route',
      async (name, spec, cutMs, object, statuses) => {
        const scenario = loadScenario(name);
        const { run, server } = await liveOnTheSimulatorsMock(
          {
            ...scenario,
            mock: { ...scenario.mock, tier: scenario.mock.tier === 'free' ? '1' : scenario.mock.tier },
            workload: { ...scenario.workload, jobs: Math.min(scenario.workload.jobs, 4) },
          },
          spec,
          cutMs,
        );
        expect(run.stopped).toBe(`deadline of ${cutMs} ms reached`);
        expect(run.cancels.length).toBeGreaterThan(0);
        for (const cancel of run.cancels) {
          expect(cancel.object).toBe(object);
          expect(cancel.error).toBeNull();
          expect(statuses).toContain(cancel.status);
        }
        const cancelled = server.filter((r) => r.route?.endsWith('.cancel') && r.status === 200);
        expect(cancelled.map((r) => r.jobId).sort()).toEqual(run.cancels.map((c) => c.id).sort());
      },
    );

    test('a job that ended unseen: its cancel is refused, and the error says why', async () => {
      const loaded = loadScenario('seed-article');
      const scenario = {
        ...loaded,
        workload: { ...loaded.workload, jobs: 4 },
        pollers: [parsePollerSpec('adaptive')],
      };
      // The second run ends before 55 s, and adaptive's poll that sees it comes after.
      const { run } = await liveOnTheSimulatorsMock(scenario, 'adaptive', 55_000);
      expect(run.cancels).toEqual([
        {
          id: expect.stringMatching(/^run_/),
          object: 'thread.run',
          status: null,
          error: "400 Cannot cancel run with status 'completed'.",
        },
      ]);
      const simulated = summarize(await runSimulation(scenario));
      expect(renderLiveConsole(liveSummary(simulated, 'http://mock', [run]))).toContain(
        `was cut short: deadline of 55000 ms reached; cancelled 0 of the 1 job still running (${run.cancels[0]?.id}: 400 Cannot cancel run with status 'completed'.)`,
      );
    });

    test('with cancelUnfinished false, the jobs are left to run', async () => {
      const { run, server } = await liveOnTheSimulatorsMock(config, 'adaptive', 2_000, {
        cancelUnfinished: false,
      });
      expect(run.stopped).not.toBeNull();
      expect(run.cancels).toEqual([]);
      expect(server.filter((r) => r.atMs >= 2_000)).toEqual([]);
    });
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

  test.each(['fixed:interval=200ms', 'adaptive', 'limiter'])(
    'over loopback HTTP, cut by its deadline with %s: no timer of it is left, and nothing but the cancels is sent after',
    async (spec) => {
      const mock = quickWallClockMock(3, 20_000, 30_000);
      const server = await startHttpServer(mock, { port: 0 });
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      try {
        const before = timers();
        const base = loadScenario('tier-1');
        const run = await runLive({
          openai: new OpenAI({ apiKey: 'sk-test', baseURL: server.url }),
          workload: { ...base.workload, jobs: 4, workers: 4 },
          poller: parsePollerSpec(spec),
          publishedLimits: mock.core.limitsFor('gpt-4.1')?.limits,
          seed: 1,
          deadlineMs: 800,
        });
        expect(run.stopped).toBe('deadline of 800 ms reached');
        expect(run.cancels.map((c) => c.status)).toEqual(Array(4).fill('cancelled'));
        expect(timers()).toBeLessThanOrEqual(before);
        const sent = mock.requests.length;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(mock.requests.length).toBe(sent);
        // Besides the cancels, the run's own requests, and at most one a worker that it aborted in flight.
        const seen = mock.requests.filter((r) => r.route !== 'responses.cancel').length;
        expect(seen - run.metrics.requests).toBeGreaterThanOrEqual(0);
        expect(seen - run.metrics.requests).toBeLessThanOrEqual(4);
      } finally {
        await server.close();
      }
    },
  );

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
