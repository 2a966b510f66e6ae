import { fc, test } from '@fast-check/vitest';
import OpenAI from 'openai';
import { describe, expect } from 'vitest';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { TERMINAL } from '../../src/client/api-client.ts';
import { attachPoller } from '../../src/pollers/attach-poller.ts';
import { JobAbandoned } from '../../src/pollers/poller.ts';
import { DEFAULT_LATENCY } from '../../src/server/jobs/latency-config.ts';
import type { Tier } from '../../src/server/limits/tier-tables.ts';
import { fcSeed } from '../helpers/seed.ts';

const programs = fc.record({
  tier: fc.constantFrom<Tier>('free', '1', '2', '3', '4', '5'),
  spec: fc.constantFrom('adaptive', 'fixed:interval=2s', 'fixed:interval=20s', 'backoff', 'sdk', 'limiter'),
  jobs: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  failRate: fc.constantFrom(0, 0.2),
});

describe(`a program's poller (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.prop([programs], { numRuns: 12 })(
    'every wait ends at the first answer that shows its job ended, or with an error the program can catch',
    async ({ tier, spec, jobs, seed, failRate }) => {
      const model = 'gpt-4.1-mini';
      await withVirtualSdk(
        { tier, seed, latency: { response: { ...DEFAULT_LATENCY.response, failRate } } },
        async ({ client, mock }) => {
          const poller = attachPoller(client, spec, { tier, model, seed });
          const ends = await Promise.allSettled(
            Array.from({ length: jobs }, async (_, i) => {
              const created = await poller.send((openai, options) =>
                openai.responses.create({ model, input: `job ${i}`, background: true }, options),
              );
              return poller.waitFor(created);
            }),
          );
          for (const end of ends) {
            if (end.status === 'rejected') {
              const caught = end.reason instanceof OpenAI.APIError || end.reason instanceof JobAbandoned;
              expect(caught, String(end.reason)).toBe(true);
              continue;
            }
            const final = end.value;
            expect(TERMINAL.response.has(final.status ?? '')).toBe(true);
            // The job's answers: every one before the last showed it running, the last one the final body.
            const answers = mock.requests.filter((r) => r.jobId === final.id && r.status === 200);
            expect(answers.at(-1)?.jobStatus).toBe(final.status);
            for (const answer of answers.slice(0, -1))
              expect(TERMINAL.response.has(answer.jobStatus ?? '')).toBe(false);
          }
        },
      );
    },
  );

  test.prop([programs, fc.integer({ min: 0, max: 90_000 })], { numRuns: 12 })(
    'a program that aborts its waits: each ends by the abort, nothing is sent after it, and no timer is left',
    async ({ tier, spec, jobs, seed, failRate }, abortAtMs) => {
      const model = 'gpt-4.1-mini';
      await withVirtualSdk(
        { tier, seed, latency: { response: { ...DEFAULT_LATENCY.response, failRate } } },
        async ({ client, mock, time }) => {
          const poller = attachPoller(client, spec, { tier, model, seed });
          const controller = new AbortController();
          const reason = new Error('the program gave up');
          setTimeout(() => controller.abort(reason), abortAtMs);
          const { signal } = controller;
          const ends = await Promise.allSettled(
            Array.from({ length: jobs }, async (_, i) => {
              const created = await poller.send(
                (openai, options) =>
                  openai.responses.create({ model, input: `job ${i}`, background: true }, options),
                { signal },
              );
              return poller.waitFor(created, { signal });
            }),
          );
          expect(time.now).toBeLessThanOrEqual(abortAtMs);
          for (const end of ends)
            if (end.status === 'rejected' && end.reason !== reason) {
              const caught = end.reason instanceof OpenAI.APIError || end.reason instanceof JobAbandoned;
              expect(caught, String(end.reason)).toBe(true);
            }
          // Requests sent at the abort's instant may still be answered; none is sent after it.
          expect(mock.requests.filter((r) => r.atMs > abortAtMs)).toEqual([]);
          if (ends.some((end) => end.status === 'rejected' && end.reason === reason))
            expect(time.pendingTimers, 'timers left after every wait ended').toBe(0);
        },
      );
    },
  );
});
