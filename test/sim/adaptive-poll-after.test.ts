import { describe, expect, test } from 'vitest';
import { simulatePoller } from '../../sim/engine.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';

/**
 * The gaps between one job's consecutive polls, as the mock saw them arrive, when the server sends
 * `openai-poll-after-ms: after`. Tier 3 has budget to spare for five jobs, so no gap is the pacer's.
 */
async function pollGaps(after: string): Promise<number[]> {
  const config = configFromArgs([
    ...['--tier', '3', '--workload', 'responses', '--jobs', '5', '--workers', '5'],
    ...['--response-queue', '0ms', '--response-duration', '5m', '--request-latency', '100ms'],
    ...['--poll-after', after, '--seed', '3'],
  ]);
  const run = await simulatePoller({ ...config, trace: true }, { name: 'adaptive', params: {} });
  expect(run.stopped).toBeNull();
  const byJob = new Map<string, number[]>();
  for (const r of run.trace ?? [])
    if (r.route === 'responses.retrieve' && r.jobId !== undefined)
      byJob.set(r.jobId, [...(byJob.get(r.jobId) ?? []), r.atMs]);
  expect(byJob.size).toBe(5);
  return [...byJob.values()].flatMap((times) => times.slice(1).map((t, i) => t - (times[i] as number)));
}

describe('adaptive follows openai-poll-after-ms within its min and max', () => {
  // A gap is the hint plus the previous poll's answer time (100 ms); `min` is 250 ms, `max` 60 s.
  test.each([
    ['3s', 3_100, 3_100],
    // Beyond max: the user's longest gap wins over the server's hint.
    ['2m', 60_100, 60_100],
    // Past 2³¹ − 1 ms a timer fires after 1 ms in Node: obeyed as it was, every poll came 1 ms apart.
    ['999999h', 60_100, 60_100],
    // Below min.
    ['10ms', 350, 350],
  ])('openai-poll-after-ms %s: gaps from %i to %i ms', async (after, least, most) => {
    const gaps = await pollGaps(after);
    expect(gaps.length).toBeGreaterThan(0);
    expect(Math.min(...gaps)).toBe(least);
    expect(Math.max(...gaps)).toBe(most);
  });
});
