import { describe, expect, test } from 'vitest';
import { type PollerRun, runSimulation, simulatePoller } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

// Responses on tier 1 run 20 s at the median (lognormal, σ 0.7): fewer than 1 in 300 is done within
// 3 s. Once adaptive has seen some finish, polling a job that young is a request spent for nothing.
// It used to, when it took a young job's time left to be as long as its age.
describe('adaptive places polls where the learned durations put completions', () => {
  test.each([1, 2, 3])('tier-1, seed %i: learned jobs are not polled in their first 3 s', async (seed) => {
    const run = await simulatePoller(
      { ...loadScenario('tier-1'), seed, trace: true },
      parsePollerSpec('adaptive'),
    );
    const created = new Map<string, number>();
    let young = 0;
    for (const record of run.trace ?? []) {
      if (record.jobId === undefined || record.status !== 200) continue;
      const at = created.get(record.jobId);
      if (at === undefined) created.set(record.jobId, record.atMs);
      // The first 50 jobs start before much is learned.
      else if (created.size > 50 && record.atMs - at < 3_000) young++;
    }
    expect(created.size).toBe(run.metrics.jobs.completed + run.metrics.jobs.failed);
    expect(young).toBeLessThanOrEqual(created.size / 100);
  });
});

// A batch's polls count against no limit in the mock: their answers carry no rate-limit headers and are
// never 429s, so no budget prices them. adaptive used to take them for free and poll each batch every
// `min` (250 ms) for as long as it ran: 2,644 polls a batch on the free tier. A poll there now costs one
// slot of the published RPM (20 s on the free tier, 120 ms at tier 1), and polls space out with the time
// a batch has left (at most `max`, 60 s, apart).
describe('adaptive on a route that shows no limit', () => {
  const batches = (tier: string, jobs: number) =>
    configFromArgs(['--tier', tier, '--workload', 'batch', '--jobs', String(jobs)]);

  test.each([
    { tier: 'free', jobs: 10, most: 60 },
    { tier: '1', jobs: 6, most: 250 },
  ])('tier $tier batches: a poll is not free', async ({ tier, jobs, most }) => {
    const config = { ...batches(tier, jobs), pollers: [parsePollerSpec('adaptive')] };
    const [adaptive, oracle] = (await runSimulation(config)).pollers as [PollerRun, PollerRun];
    expect(adaptive.metrics.rateLimited).toBe(0);
    expect(adaptive.metrics.jobs).toEqual(oracle.metrics.jobs);
    // Batches run most of an hour here: a poll a minute would be 40–60 a batch.
    expect(adaptive.metrics.pollsPerJob).toBeLessThan(most);
    expect(adaptive.metrics.efficiency).toBeGreaterThan(0.97);
  });

  test('a higher pollCost still sets the price', async () => {
    // One batch at a time, so that most are polled once durations are learned.
    const config = { ...batches('1', 8), workload: { ...batches('1', 8).workload, workers: 1 } };
    const polls = async (spec: string) =>
      (await simulatePoller(config, parsePollerSpec(spec))).metrics.pollsPerJob;
    expect(await polls('adaptive:pollCost=30s')).toBeLessThan(0.8 * (await polls('adaptive')));
  });
});
