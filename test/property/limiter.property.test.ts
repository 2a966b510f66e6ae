import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type LimiterAlgorithm, TokenBucket } from '../../src/server/limiter/bucket.ts';
import { RateLimiter } from '../../src/server/limiter/rate-limiter.ts';
import { fcSeed } from '../helpers/seed.ts';

const ALGORITHMS: LimiterAlgorithm[] = ['token-bucket', 'fixed-window', 'sliding-window'];
const ONE = { requests: 1, tokens: 0, images: 0 };

describe(`limiter properties (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.prop([
    fc.constantFrom(...ALGORITHMS),
    fc.integer({ min: 1, max: 600 }),
    fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 60 }),
  ])('never rejects a client that stays under the limit', (algorithm, rpm, extraGaps) => {
    const limiter = new RateLimiter({ algorithm });
    const limits = { group: 'm', limits: { rpm } };
    const minGap = Math.ceil(60_000 / rpm);
    let t = 0;
    for (const extra of extraGaps) {
      expect(limiter.admit(t, 'org', limits, ONE).kind).toBe('allow');
      t += minGap + extra;
    }
  });

  test.prop([
    fc.constantFrom(...ALGORITHMS),
    fc.integer({ min: 1, max: 50 }),
    fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
    fc.integer({ min: 1, max: 180_000 }),
  ])('admits no more than capacity + refill over any window', (algorithm, rpm, gaps, windowMs) => {
    const limiter = new RateLimiter({ algorithm });
    const limits = { group: 'm', limits: { rpm } };
    const admitted: number[] = [];
    let t = 0;
    for (const gap of gaps) {
      t += gap;
      if (limiter.admit(t, 'org', limits, ONE).kind === 'allow') admitted.push(t);
    }
    // A fixed window can admit a full window on each side of a boundary.
    const capacity = algorithm === 'fixed-window' ? 2 * rpm : rpm;
    const bound = capacity + Math.floor((rpm * windowMs) / 60_000) + (algorithm === 'fixed-window' ? rpm : 0);
    for (let i = 0; i < admitted.length; i++) {
      let j = i;
      while (j < admitted.length && (admitted[j] as number) <= (admitted[i] as number) + windowMs) j++;
      expect(j - i).toBeLessThanOrEqual(bound);
    }
  });

  test.prop([
    fc.integer({ min: 1, max: 100_000 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 2_000 })), {
      maxLength: 50,
    }),
  ])(
    'headers agree with the bucket: remaining = floor(level), reset = (limit − remaining)·60 s/limit',
    (tpm, steps) => {
      const limiter = new RateLimiter();
      const limits = { group: 'm', limits: { tpm } };
      const bucket = new TokenBucket(tpm, 60_000);
      let t = 0;
      for (const [gap, tokens] of steps) {
        t += gap;
        const verdict = limiter.admit(t, 'org', limits, { requests: 1, tokens, images: 0 });
        if (verdict.kind === 'allow') bucket.take(t, tokens);
        const budget = verdict.budgets.tokens;
        expect(budget).toBeDefined();
        if (budget === undefined) return;
        expect(budget.remaining).toBe(Math.max(0, Math.floor(bucket.available(t) + 1e-7)));
        expect(budget.resetMs).toBeCloseTo(((tpm - budget.remaining) * 60_000) / tpm, 6);
        if (verdict.kind === 'reject')
          expect(verdict.waitMs).toBeCloseTo(((tokens - bucket.available(t)) * 60_000) / tpm, 3);
      }
    },
  );
});
