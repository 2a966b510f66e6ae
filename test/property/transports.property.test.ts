import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { simulationArbitrary } from '../../sim/arbitraries.ts';
import { simulatePoller } from '../../sim/engine.ts';
import { fcSeed } from '../helpers/seed.ts';
import { traceFingerprint } from '../helpers/trace-fingerprint.ts';

// The bundled scenarios are checked one by one (test/sim/transports-agree.test.ts); these are studies
// nobody wrote down: every flow, faults, every header mode and limiter algorithm, several clients.
const studies = simulationArbitrary({
  flows: ['assistants', 'responses', 'batch', 'vector-store'],
  faults: true,
  headers: true,
  algorithms: ['token-bucket', 'fixed-window', 'sliding-window'],
});

describe(`the fast and the SDK transports (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.prop([studies], { numRuns: 8 })(
    'make identical requests for every poller on drawn studies',
    async (config) => {
      const traced = { ...config, trace: true };
      for (const poller of config.pollers) {
        const fast = await simulatePoller({ ...traced, transport: 'fast' }, poller);
        const sdk = await simulatePoller({ ...traced, transport: 'sdk' }, poller);
        expect(fast.trace?.length, poller.name).toBeGreaterThan(0);
        expect(sdk.trace?.map(traceFingerprint), poller.name).toEqual(fast.trace?.map(traceFingerprint));
        expect(sdk.metrics, poller.name).toEqual(fast.metrics);
      }
    },
  );
});
