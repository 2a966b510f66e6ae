import { describe, expect, test } from 'vitest';
import { PollerFailed, runSimulation, simulatePoller } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import type { JobBody } from '../../src/client/api-client.ts';
import { fixedPoller } from '../../src/pollers/fixed.ts';
import type { Poller } from '../../src/pollers/poller.ts';
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

/** Registers a poller that is `fixed` at 1 s, without its `retries` parameter, with `change` applied. */
function fixedWith(name: string, change: (poller: Poller) => unknown): void {
  registerPoller(name, {
    summary: 'fixed, changed',
    params: {},
    factory: (ctx, params) =>
      change({ ...fixedPoller(ctx, { interval: 1_000, gap: 0, retries: 0 }), name, params }) as Poller,
  });
}
fixedWith('test-own-retries', (p) => ({ ...p, maxRetries: 2 }));
fixedWith('test-no-factory', () => undefined);
fixedWith('test-no-wait', (p) => ({ ...p, waitFor: undefined }));
fixedWith('test-bad-retries', (p) => ({ ...p, maxRetries: 1.5 }));
fixedWith('test-bad-gap', (p) => ({ ...p, gapMs: Number.NaN }));
fixedWith('test-bad-lang', (p) => ({ ...p, lang: 'ruby' }));
fixedWith('test-python', (p) => ({ ...p, lang: 'python' }));
fixedWith('test-returns-early', (p) => ({ ...p, waitFor: async (t: { initial: JobBody }) => t.initial }));
fixedWith('test-returns-other', (p) => ({
  ...p,
  waitFor: async (t: { initial: JobBody }) => ({ ...(await p.waitFor(t as never)), id: 'resp_other' }),
}));
fixedWith('test-send-nothing', (p) => ({ ...p, send: async () => undefined }));
fixedWith('test-returns-nothing', (p) => ({
  ...p,
  waitFor: async (t: never) => {
    await p.waitFor(t);
  },
}));

const config = { ...smallPreset('1', 1, { workers: 2, jobs: 4 }), horizonMs: 3_600_000, maxEvents: 20_000 };

describe('a broken poller ends the run with a clear error naming it, never a hang', () => {
  test('a poller that throws', async () => {
    const error = await simulatePoller(config, { name: 'test-throws', params: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollerFailed);
    expect((error as Error).message).toBe("poller 'test-throws' failed: cannot read status");
  });

  test('a poller that never finishes: the run stalls, jobs are abandoned, none lost', async () => {
    const run = await simulatePoller(config, { name: 'test-hangs', params: {} });
    expect(run.stopped).toMatch(/^poller 'test-hangs' stalled: nothing is scheduled/);
    expect(run.metrics.jobs).toEqual({ completed: 0, failed: 0, abandoned: 4 });
  });

  test('a poller that never sleeps: cut by the event budget', async () => {
    const run = await simulatePoller(config, { name: 'test-spins', params: {} });
    expect(run.stopped).toMatch(/^poller 'test-spins' stopped (by the event budget: |at the horizon, )/);
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

describe('the poller contract is checked, and a breach named', () => {
  const failure = (name: string) =>
    simulatePoller(config, { name, params: {} }).then(
      () => 'no error',
      (e: unknown) => (e instanceof PollerFailed ? e.message : `not a PollerFailed: ${String(e)}`),
    );

  test("the client's SDK retries are the poller's own maxRetries", async () => {
    // Built on fixed with retries=0, but declaring maxRetries 2: it must run as fixed with retries=2.
    const busy = { ...config, workload: { ...config.workload, workers: 40, jobs: 80 } };
    const own = await simulatePoller(busy, { name: 'test-own-retries', params: {} });
    const two = await simulatePoller(busy, {
      name: 'fixed',
      params: { interval: 1_000, gap: 0, retries: 2 },
    });
    const none = await simulatePoller(busy, {
      name: 'fixed',
      params: { interval: 1_000, gap: 0, retries: 0 },
    });
    expect(none.metrics.rateLimited).toBeGreaterThan(0); // else the retries would change nothing
    expect(own.metrics).toEqual(two.metrics);
    expect(own.metrics).not.toEqual(none.metrics);
  });

  test('a poller that names the Python SDK in code runs on the fast transport, and is refused on the sdk one', async () => {
    const fast = await simulatePoller(config, { name: 'test-python', params: {} });
    expect(fast.metrics.jobs.completed).toBe(config.workload.jobs);
    const error = await simulatePoller(
      { ...config, transport: 'sdk' },
      { name: 'test-python', params: {} },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "poller 'test-python' failed: its client is the python SDK's, which only the fast transport emulates",
    );
  });

  test('a factory must return a Poller', async () => {
    expect(await failure('test-no-factory')).toBe(
      "poller 'test-no-factory' failed: its factory returned undefined; expected a Poller object (name, params, maxRetries, gapMs, send, waitFor)",
    );
    expect(await failure('test-no-wait')).toBe(
      "poller 'test-no-wait' failed: its waitFor: expected a function; got undefined",
    );
    expect(await failure('test-bad-retries')).toMatch(
      /^poller 'test-bad-retries' failed: its maxRetries: expected a whole number ≥ 0 .*; got 1\.5$/,
    );
    expect(await failure('test-bad-gap')).toMatch(
      /^poller 'test-bad-gap' failed: its gapMs: expected milliseconds ≥ 0 .*; got NaN$/,
    );
    expect(await failure('test-bad-lang')).toBe(
      "poller 'test-bad-lang' failed: its lang: expected one of node, python, python-2.51 (whose SDK its client is), or none for node; got 'ruby'",
    );
  });

  test('send must resolve to a call result, and waitFor to the job at a terminal status: never counted as failed, never beating the oracle', async () => {
    expect(await failure('test-returns-early')).toMatch(
      /^poller 'test-returns-early' failed: waitFor returned job 'resp_\w+' at status 'queued', before it ended; expected the last body of a response at a terminal status \(completed, failed, incomplete, cancelled\)$/,
    );
    expect(await failure('test-returns-other')).toMatch(
      /^poller 'test-returns-other' failed: waitFor returned a body whose id is 'resp_other' for job 'resp_\w+'; /,
    );
    expect(await failure('test-send-nothing')).toBe(
      "poller 'test-send-nothing' failed: send returned undefined; expected the result of ctx.client.send(request) ({ data, headers })",
    );
    expect(await failure('test-returns-nothing')).toMatch(
      /^poller 'test-returns-nothing' failed: waitFor returned undefined; expected the last body of a response/,
    );
  });
});

describe('prompts larger than the whole token budget', () => {
  test('every poller gives each job up after its "Request too large" answers, in bounded time, the oracle first', async () => {
    const base = loadScenario('tier-1');
    // 1,000,000 characters are 250,000 tokens; gpt-4.1 at tier 1 allows 30,000 a minute.
    const result = await runSimulation({
      ...base,
      workload: { ...base.workload, promptChars: 1_000_000, jobs: 3 },
    });
    const oracle = result.pollers.find((p) => p.name === 'oracle');
    for (const { name, metrics, stopped } of result.pollers) {
      expect(stopped, name).toBeNull();
      expect(metrics.jobs, name).toEqual({ completed: 0, failed: 0, abandoned: 3 });
      expect(metrics.rateLimited, name).toBe(metrics.requests);
      expect(metrics.rateLimitedBy, name).toEqual({ tpm: metrics.requests });
      // Each waits at most for one full budget (a minute) per job, not a refill of its whole estimate.
      expect(metrics.makespanMs, name).toBeLessThanOrEqual(3 * 61_000);
      expect(metrics.requests, name).toBeGreaterThanOrEqual(oracle?.metrics.requests ?? Number.NaN);
      expect(metrics.makespanMs, name).toBeGreaterThanOrEqual(oracle?.metrics.makespanMs ?? Number.NaN);
    }
    // The oracle knows such a request can never pass: it sends it at once rather than wait for ever.
    expect(oracle?.metrics.requests).toBe(3);
  });
});
