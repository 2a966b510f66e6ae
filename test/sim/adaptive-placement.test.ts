import { describe, expect, test } from 'vitest';
import { simulatePoller } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
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
