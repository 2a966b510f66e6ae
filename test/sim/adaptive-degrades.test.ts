import { describe, expect, test } from 'vitest';
import { runSimulation } from '../../sim/engine.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';

// Studies the property 'no job is lost under faults and missing headers' (test/property) turned up,
// each a command line: `npm run sim --` and the same flags shows it. Before the fixes `adaptive` waited
// out the 6 h horizon on the first two, and abandoned every job of the next two after 100 429s; on the
// last it gave up a job creation at its first 500, because it had counted the ten 429s before it too.
const cases: [string, string][] = [
  [
    'a windowed limiter whose 429s carry no headers, two clients: a new window forgets older requests',
    '--tier free --jobs 2 --workers 2 --clients 2 --algorithm sliding-window --rate-limit-headers success-only --seed 1',
  ],
  [
    '429s without headers spent the budget it counted on: the bucket refills after them too',
    '--tier free --workload responses --jobs 4 --workers 3 --clients 2 --arrival poisson:3ms --response-queue 4296ms --response-duration uniform:34907ms:42316ms --response-fail-rate 0 --rate-limit-headers success-only --no-retry-after-ms --server-error-rate 0.1 --seed 565633986',
  ],
  [
    'no headers at all, four workers on 3 RPM: retries that keep colliding spread out',
    '--tier free --jobs 5 --workers 2 --clients 2 --run-duration uniform:22698ms:55423ms --rate-limit-headers never --seed 22',
  ],
  [
    'no headers and no retry-after either: the published RPM gives the wait',
    '--tier free --jobs 5 --workers 2 --clients 2 --run-duration uniform:22698ms:55423ms --rate-limit-headers never --no-retry-after --no-retry-after-ms --seed 22',
  ],
  [
    'a 500 after ten 429s: rate-limit 429s do not use up the attempts that bound 5xx',
    '--tier free --workload assistants --jobs 6 --workers 3 --clients 2 --arrival all --run-queue 0ms --run-duration uniform:0ms:6179ms --run-fail-rate 0.03 --server-error-rate 0.07 --overloaded-rate 0.05 --latency-spike-rate 0.07 --latency-spike empirical:0ms,709ms,1996ms --rate-limit-headers never --no-retry-after --no-retry-after-ms --seed 274879005',
  ],
];

describe('adaptive degrades sensibly when headers are missing', () => {
  test.each(cases)('%s', async (_, flags) => {
    const config = configFromArgs([...flags.split(' '), '--poller', 'adaptive']);
    const [adaptive, oracle] = (await runSimulation(config)).pollers;
    expect(adaptive?.metrics.jobs.abandoned).toBe(0);
    // Slower than the oracle, as it must be without information, but within a small factor of it.
    expect(adaptive?.metrics.makespanMs).toBeLessThan(4 * (oracle?.metrics.makespanMs ?? 0));
  });
});
