import { describe, expect, test } from 'vitest';
import { simulatePoller } from '../../sim/engine.ts';
import { transportCases } from '../helpers/sim-configs.ts';
import { traceFingerprint } from '../helpers/trace-fingerprint.ts';

describe('the fast and the SDK transports make identical requests on every bundled scenario (scaled to ≤ 8 workers)', () => {
  for (const { name, config } of transportCases()) {
    for (const poller of config.pollers) {
      test(`${name}: ${poller.name}`, async () => {
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
