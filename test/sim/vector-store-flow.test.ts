import { describe, expect, test } from 'vitest';
import { renderConsole } from '../../reports/console-table.ts';
import { summarize } from '../../reports/summary.ts';
import { runSimulation, simulatePoller } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { FILES_PER_BATCH } from '../../sim/workloads/flows.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

describe('the vector-store flow', () => {
  test('each job uploads its files, creates one batch and polls it; only batch requests count, against the store', async () => {
    const config = {
      ...configFromArgs(['--tier', '1', '--workload', 'vector-store', '--jobs', '4']),
      trace: true,
    };
    const run = await simulatePoller(config, parsePollerSpec('fixed:interval=2s'));
    expect(run.metrics.jobs).toEqual({ completed: 4, failed: 0, abandoned: 0 });
    const byRoute = run.metrics.requestsByRoute;
    expect(byRoute['vectorStores.create']).toEqual({ 200: 1 });
    expect(byRoute['files.create']).toEqual({ 200: 4 * FILES_PER_BATCH });
    expect(byRoute['vectorStores.fileBatches.create']).toEqual({ 200: 4 });
    const trace = run.trace ?? [];
    for (const record of trace) {
      const counted = record.route?.startsWith('vectorStores.fileBatches.') === true;
      // Counted against the store's own bucket (named by its id), never against gpt-4.1.
      expect(record.model === undefined ? 'none' : record.model.split(':')[0], record.route).toBe(
        counted ? 'vector_store' : 'none',
      );
    }
    expect(run.metrics.pollsPerJob).toBeGreaterThan(1);
  });

  test('the bundled scenario: the store’s 300 RPM binds the SDK’s own helper; adaptive and limiter stay 429-free', async () => {
    const result = await runSimulation(loadScenario('vector-store'));
    const by = Object.fromEntries(result.pollers.map((p) => [p.name, p.metrics]));
    expect(result.limits).toEqual({ rpm: 300 });
    expect(result.limitsSubject).toBe('each vector store');
    // vectorStores.fileBatches.poll: at once, then every 5 s; thirty of them at a time exceed 5 requests a second.
    expect(by.sdk?.rateLimited).toBeGreaterThan(0);
    expect(by.sdk?.rateLimitedBy).toEqual({ rpm: by.sdk?.rateLimited });
    for (const name of ['adaptive', 'limiter', 'oracle']) {
      expect(by[name]?.rateLimited, name).toBe(0);
      expect(by[name]?.jobs.abandoned, name).toBe(0);
    }
    expect(result.pollers.map((p) => p.stopped)).toEqual(result.pollers.map(() => null));
    for (const [name, metrics] of Object.entries(by)) {
      const { completed, failed, abandoned } = metrics?.jobs ?? { completed: 0, failed: 0, abandoned: 0 };
      expect(completed + failed + abandoned, name).toBe(200);
    }
    expect(renderConsole(summarize(result))).toContain(
      'tier 1 · each vector store: 300 RPM (rate-limits guide, facts §4, as of 2026-11)',
    );
  });

  test('--vector-store-rpm sets the store’s limit, and the cookbook limiter paces to it', async () => {
    const config = configFromArgs([
      '--scenario',
      'vector-store',
      '--jobs',
      '40',
      '--vector-store-rpm',
      '60',
      '--poller',
      'limiter',
    ]);
    const result = await runSimulation(config);
    expect(result.limits).toEqual({ rpm: 60 });
    const limiter = result.pollers.find((p) => p.name === 'limiter')?.metrics;
    expect(limiter?.rateLimited).toBe(0);
    expect(limiter?.jobs.abandoned).toBe(0);
    expect(Math.max(...(limiter?.perMinute.counted ?? []))).toBeLessThanOrEqual(60 + 60);
  });
});

describe('the cookbook limiter with a dimension that has no limit', () => {
  test('does not spin when no TPM is published (it used to wait NaN ms, forever, at time 0)', async () => {
    // A limits file may give RPM only, as a vector store has no token limit.
    const config = configFromArgs([
      '--scenario',
      'tier-1',
      '--jobs',
      '6',
      '--workers',
      '2',
      '--poller',
      'limiter',
    ]);
    const run = await simulatePoller(
      {
        ...config,
        mock: {
          ...config.mock,
          tier: undefined,
          limits: { name: 'rpm-only', asOf: 'test', source: 'test', models: { 'gpt-4.1': { rpm: 30 } } },
        },
        maxEvents: 200_000,
      },
      parsePollerSpec('limiter'),
    );
    expect(run.stopped).toBeNull();
    expect(run.metrics.jobs.abandoned).toBe(0);
    expect(run.metrics.rateLimited).toBe(0);
  });
});
