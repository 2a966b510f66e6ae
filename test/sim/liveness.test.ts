import { describe, expect, test } from 'vitest';
import { PollerFailed, simulatePoller } from '../../sim/engine.ts';
import { registerPoller } from '../../src/pollers/registry.ts';
import { smallPreset } from '../helpers/sim-configs.ts';

registerPoller('test-throws', {
  summary: 'throws a bug',
  params: {},
  factory: (ctx, params) => ({
    name: 'test-throws',
    params,
    maxRetries: 0,
    gapMs: 0,
    send: (r) => ctx.client.send(r),
    waitFor: () => Promise.reject(new TypeError('cannot read status')),
  }),
});
registerPoller('test-hangs', {
  summary: 'awaits something that never comes',
  params: {},
  factory: (ctx, params) => ({
    name: 'test-hangs',
    params,
    maxRetries: 0,
    gapMs: 0,
    send: (r) => ctx.client.send(r),
    waitFor: () => new Promise(() => undefined),
  }),
});
registerPoller('test-spins', {
  summary: 'polls without ever sleeping, and never stops',
  params: {},
  factory: (ctx, params) => ({
    name: 'test-spins',
    params,
    maxRetries: 0,
    gapMs: 0,
    send: (r) => ctx.client.send(r),
    async waitFor(target) {
      for (;;) await ctx.client.send(target.retrieve).catch(() => undefined);
    },
  }),
});

const config = { ...smallPreset('1', 1, { workers: 2, jobs: 4 }), horizonMs: 3_600_000, maxEvents: 20_000 };

describe('a broken poller ends the run with a clear error naming it, never a hang', () => {
  test('a poller that throws', async () => {
    const error = await simulatePoller(config, { name: 'test-throws', params: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollerFailed);
    expect((error as Error).message).toBe("poller 'test-throws' failed: cannot read status");
  });

  test('a poller that never finishes: the run stalls, jobs are abandoned, none lost', async () => {
    const run = await simulatePoller(config, { name: 'test-hangs', params: {} });
    expect(run.stopped).toMatch(/^poller 'test-hangs' stopped by the stalled/);
    expect(run.metrics.jobs).toEqual({ completed: 0, failed: 0, abandoned: 4 });
  });

  test('a poller that never sleeps: cut by the event budget', async () => {
    const run = await simulatePoller(config, { name: 'test-spins', params: {} });
    expect(run.stopped).toMatch(/^poller 'test-spins' stopped by the (event-budget|horizon)/);
    expect(run.metrics.jobs.abandoned).toBe(4);
  });
});

describe('a workload too big to hold', () => {
  test('is refused before anything runs, not an out-of-memory crash minutes later', async () => {
    const huge = { ...config, workload: { ...config.workload, jobs: 2 ** 40 } };
    await expect(simulatePoller(huge, { name: 'oracle', params: {} })).rejects.toThrow(
      /^workload\.jobs: at most 1,000,000 jobs in one run/,
    );
  });

  test('more workers than jobs start no idle workers, and change nothing', async () => {
    const many = { ...config, workload: { ...config.workload, workers: 2 ** 40 } };
    const enough = { ...config, workload: { ...config.workload, workers: config.workload.jobs } };
    const a = await simulatePoller(many, { name: 'fixed', params: {} });
    const b = await simulatePoller(enough, { name: 'fixed', params: {} });
    expect(a.metrics).toEqual(b.metrics);
  });
});
