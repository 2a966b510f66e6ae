import { describe, expect, test } from 'vitest';
import { simulatePoller } from '../../sim/engine.ts';
import { transportCases } from '../helpers/sim-configs.ts';

/** What a trace is compared on: when, what, and how it ended. */
const fingerprint = (r: {
  atMs: number;
  route: string | undefined;
  status: number;
  client: string | undefined;
}) => `${r.atMs} ${r.route} ${r.status} ${r.client}`;

describe('the fast and the SDK transports make identical requests on every bundled scenario (scaled to ≤ 8 workers)', () => {
  for (const { name, config } of transportCases()) {
    for (const poller of config.pollers) {
      test(`${name}: ${poller.name}`, async () => {
        const traced = { ...config, trace: true };
        const fast = await simulatePoller({ ...traced, transport: 'fast' }, poller);
        const sdk = await simulatePoller({ ...traced, transport: 'sdk' }, poller);
        expect(fast.trace?.length).toBeGreaterThan(0);
        expect(sdk.trace?.map(fingerprint)).toEqual(fast.trace?.map(fingerprint));
        expect(sdk.metrics).toEqual(fast.metrics);
      });
    }
  }
});
