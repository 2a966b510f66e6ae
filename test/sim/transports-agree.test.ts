import { describe, expect, test } from 'vitest';
import { simulatePoller } from '../../sim/engine.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { formatPollerChoices, type PollerChoice } from '../../src/pollers/registry.ts';
import { transportCases } from '../helpers/sim-configs.ts';
import { traceFingerprint } from '../helpers/trace-fingerprint.ts';

const full = process.env.POLLBENCH_FULL_SIZE === '1';
const size = full ? 'at full size' : '(scaled to ≤ 8 workers)';
describe(`the fast and the SDK transports make identical requests on every bundled scenario ${size}`, () => {
  for (const { name, config } of transportCases()) {
    const labels = formatPollerChoices(config.pollers);
    for (const [i, poller] of config.pollers.entries()) {
      // At full size tier 4's and tier 5's runs take about a minute each in the SDK transport.
      test(`${name}: ${labels[i]}`, { timeout: full ? 600_000 : 60_000 }, async () => {
        const traced = { ...config, trace: true };
        const fast = await simulatePoller({ ...traced, transport: 'fast' }, poller);
        const sdk = await simulatePoller({ ...traced, transport: 'sdk' }, poller);
        expect(fast.trace?.length).toBeGreaterThan(0);
        expect(sdk.trace?.map(traceFingerprint)).toEqual(fast.trace?.map(traceFingerprint));
        expect(sdk.metrics).toEqual(fast.metrics);
      });
    }
  }
});

test('they agree at full size too where abandoned jobs and uploads meet in one instant (vector-store, 20 workers)', async () => {
  // Uploads share one path: the mock orders simultaneous ones by file name, not by arrival, which the
  // SDK's longer error path changed (this diverged before that).
  const config = {
    ...configFromArgs(['--scenario', 'vector-store', '--workers', '20', '--poller', 'fixed:interval=2s']),
    trace: true,
  };
  const poller = config.pollers[0] as PollerChoice;
  const fast = await simulatePoller({ ...config, transport: 'fast' }, poller);
  const sdk = await simulatePoller({ ...config, transport: 'sdk' }, poller);
  expect(fast.metrics.rateLimited).toBeGreaterThan(0);
  expect(fast.metrics.jobs.abandoned).toBeGreaterThan(0);
  expect(sdk.trace?.map(traceFingerprint)).toEqual(fast.trace?.map(traceFingerprint));
});

// Scaled to 8 workers no more than 8 requests ever wait at once, too few for a test burst of 9.
test.each([
  ['quantized', 'refused: the guard stays'],
  ['burst', 'taken: the guard is lifted'],
])("they agree at full size on %s, where auto's test burst goes out and is %s", async (scenario) => {
  const config = {
    ...configFromArgs(['--scenario', scenario, '--poller', 'adaptive:quantized=auto']),
    trace: true,
  };
  const poller = config.pollers[0] as PollerChoice;
  const fast = await simulatePoller({ ...config, transport: 'fast' }, poller);
  const sdk = await simulatePoller({ ...config, transport: 'sdk' }, poller);
  expect(fast.metrics.rateLimited > 0).toBe(scenario === 'quantized');
  // Lifted, the guard no longer holds a second to its share of 8 counted requests (plus the test's one).
  const counted = (fast.trace ?? []).filter((r) => r.model !== undefined).map((r) => r.atMs);
  const busiest = Math.max(...counted.map((at, i) => counted.slice(i).filter((t) => t < at + 1000).length));
  expect(busiest > 9).toBe(scenario === 'burst');
  expect(sdk.trace?.map(traceFingerprint)).toEqual(fast.trace?.map(traceFingerprint));
  expect(sdk.metrics).toEqual(fast.metrics);
});
