import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { recordTraffic } from '../../src/client/traffic-recorder.ts';
import { attachPoller } from '../../src/pollers/attach-poller.ts';
import { DEFAULT_LATENCY } from '../../src/server/jobs/latency-config.ts';
import type { Tier } from '../../src/server/limits/tier-tables.ts';
import type { RequestRecord } from '../../src/server/request-record.ts';
import { fcSeed } from '../helpers/seed.ts';

const programs = fc.record({
  tier: fc.constantFrom<Tier>('free', '1', '3', '5'),
  spec: fc.constantFrom('adaptive', 'fixed:interval=2s', 'backoff', 'sdk', 'limiter'),
  jobs: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  failRate: fc.constantFrom(0, 0.2),
  serverErrorRate: fc.constantFrom(0, 0.1),
  promptChars: fc.constantFrom(20, 200_000),
});

describe(`a program's recorded traffic (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.prop([programs], { numRuns: 12 })(
    "is the mock's own record of it: every request, field for field",
    async ({ tier, spec, jobs, seed, failRate, serverErrorRate, promptChars }) => {
      const model = 'gpt-4.1-mini';
      await withVirtualSdk(
        {
          tier,
          seed,
          latency: { response: { ...DEFAULT_LATENCY.response, failRate } },
          faults: { serverErrorRate },
        },
        async ({ client, mock, time }) => {
          const seen: RequestRecord[] = [];
          const openai = recordTraffic(client, (record) => seen.push(record), { clock: time.clock });
          const poller = attachPoller(openai, spec, { tier, model, seed });
          await Promise.allSettled(
            Array.from({ length: jobs }, async (_, i) => {
              const created = await poller.send(
                (sdk, options) =>
                  sdk.responses.create(
                    { model, input: `${i} ${'x'.repeat(promptChars)}`, background: true },
                    options,
                  ),
                { tokens: promptChars / 4 },
              );
              return poller.waitFor(created);
            }),
          );
          // The client sees an answer when its timer fires, on the whole millisecond; and cannot tell
          // what a 5xx answer (no rate-limit headers) was charged to. Its `seq` is the order requests
          // were sent: two sent in the same millisecond may reach the server in the other order (a long
          // body takes longer to read), so the records are compared in order of time, then content.
          const comparable = ({ seq, doneMs, model, ...rest }: RequestRecord) => ({
            ...rest,
            doneMs: Math.floor(doneMs),
            model: rest.status >= 500 ? 'not told' : model,
          });
          const inOrder = (records: readonly RequestRecord[]) =>
            records
              .map(comparable)
              .map((r) => ({ r, key: JSON.stringify(r) }))
              .sort((a, b) => a.r.atMs - b.r.atMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
              .map(({ r }) => r);
          expect(inOrder(seen)).toEqual(inOrder(mock.requests));
          expect(new Set(seen.map((r) => r.seq)).size).toBe(seen.length);
        },
      );
    },
  );
});
