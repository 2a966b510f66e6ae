import { describe, expect, test } from 'vitest';
import { formatGoDuration } from '../../src/core/duration.ts';
import { tryAgainMs } from '../../src/server/errors.ts';
import { FixedWindow, SlidingWindow, TokenBucket } from '../../src/server/limiter/bucket.ts';
import { RateLimiter } from '../../src/server/limiter/rate-limiter.ts';

describe('reset headers reproduce the real captures (facts §2.2, §4)', () => {
  test.each([
    [500, 1, '120ms'],
    [5000, 1, '12ms'],
    [30_000, 38, '76ms'],
    [30_000, 42, '84ms'],
    [160_000, 20, '7ms'],
  ])('limit %d with %d used resets in %s', (limit, used, expected) => {
    const bucket = new TokenBucket(limit, 60_000);
    bucket.take(0, used);
    expect(formatGoDuration(bucket.resetMs(0))).toBe(expected);
  });
});

describe('"Please try again in" reproduces the real 429 bodies (facts §4)', () => {
  test.each([
    [200_000, 200_000, 775, 'tpm', '232ms'],
    [200_000, 130_491, 75_418, 'tpm', '1.772s'],
    [30_000, 26_968, 4_557, 'tpm', '3.05s'],
    [10_000, 9_044, 1_644, 'tpm', '4.128s'],
    [3, 3, 1, 'rpm', '20s'],
    [500, 500, 1, 'rpm', '120ms'],
    [2000, 2000, 1, 'rpd', '43.2s'],
    [200, 200, 1, 'rpd', '7m12s'],
    [50, 50, 1, 'rpd', '28m48s'],
  ] as const)('limit %d used %d requested %d (%s) → %s', (limit, used, requested, dimension, expected) => {
    expect(formatGoDuration(tryAgainMs(limit, used, requested, dimension))).toBe(expected);
  });

  test('the limiter reports the same wait as the formula', () => {
    const limiter = new RateLimiter();
    const limits = { group: 'm', limits: { tpm: 30_000 } };
    expect(limiter.admit(0, 'org', limits, { requests: 1, tokens: 26_968, images: 0 }).kind).toBe('allow');
    const verdict = limiter.admit(0, 'org', limits, { requests: 1, tokens: 4_557, images: 0 });
    expect(verdict.kind).toBe('reject');
    if (verdict.kind !== 'reject') return;
    expect(formatGoDuration(verdict.waitMs)).toBe('3.05s');
    expect(verdict.used).toBeCloseTo(26_968, 6);
    expect(formatGoDuration(tryAgainMs(verdict.limit, verdict.used, verdict.requested, 'tpm'))).toBe('3.05s');
  });
});

describe('TokenBucket', () => {
  test('starts full, refills continuously at limit per period', () => {
    const bucket = new TokenBucket(3, 60_000);
    for (let i = 0; i < 3; i++) bucket.take(0, 1);
    expect(bucket.available(0)).toBe(0);
    expect(bucket.available(10_000)).toBeCloseTo(0.5, 9);
    expect(bucket.waitFor(10_000, 1)).toBeCloseTo(10_000, 6);
    expect(bucket.available(120_000)).toBe(3);
  });
  test('never goes below empty', () => {
    const bucket = new TokenBucket(3, 60_000);
    bucket.take(0, 10);
    expect(bucket.available(0)).toBe(0);
  });
});

describe('FixedWindow', () => {
  test('resets at the window boundary', () => {
    const bucket = new FixedWindow(2, 60_000);
    bucket.take(59_000, 2);
    expect(bucket.waitFor(59_000, 1)).toBe(1_000);
    expect(bucket.available(60_000)).toBe(2);
  });
});

describe('SlidingWindow', () => {
  test('frees each unit one period after it was taken', () => {
    const bucket = new SlidingWindow(2, 60_000);
    bucket.take(0, 1);
    bucket.take(30_000, 1);
    expect(bucket.waitFor(40_000, 1)).toBe(20_000);
    expect(bucket.available(60_000)).toBe(1);
    expect(bucket.resetMs(60_000)).toBe(30_000);
  });
});

describe('RateLimiter', () => {
  const free = { group: 'gpt-3.5-turbo', limits: { rpm: 3, rpd: 200, tpm: 40_000 } };

  test('rejects the fourth request in a minute on 3 RPM and says 20s', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 3; i++)
      expect(limiter.admit(0, 'org', free, { requests: 1, tokens: 10, images: 0 }).kind).toBe('allow');
    const verdict = limiter.admit(0, 'org', free, { requests: 1, tokens: 10, images: 0 });
    expect(verdict).toMatchObject({ kind: 'reject', dimension: 'rpm', limit: 3, requested: 1 });
    if (verdict.kind === 'reject') expect(verdict.waitMs).toBeCloseTo(20_000, 6);
  });

  test('a failed request still costs a request, so retrying early keeps failing', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 3; i++) limiter.admit(0, 'org', free, { requests: 1, tokens: 0, images: 0 });
    limiter.admit(10_000, 'org', free, { requests: 1, tokens: 0, images: 0 }); // rejected, charged to empty
    expect(limiter.admit(20_000, 'org', free, { requests: 1, tokens: 0, images: 0 }).kind).toBe('reject');
  });

  test('countFailedRequests: false leaves the budget alone on a rejection', () => {
    const limiter = new RateLimiter({ countFailedRequests: false });
    for (let i = 0; i < 3; i++) limiter.admit(0, 'org', free, { requests: 1, tokens: 0, images: 0 });
    limiter.admit(10_000, 'org', free, { requests: 1, tokens: 0, images: 0 });
    expect(limiter.admit(20_000, 'org', free, { requests: 1, tokens: 0, images: 0 }).kind).toBe('allow');
  });

  test('a request larger than the whole TPM limit is too large, whatever the wait', () => {
    const limiter = new RateLimiter();
    const verdict = limiter.admit(
      0,
      'org',
      { group: 'gpt-4o', limits: { rpm: 500, tpm: 30_000 } },
      { requests: 1, tokens: 250_011, images: 0 },
    );
    expect(verdict).toMatchObject({ kind: 'too-large', dimension: 'tpm', limit: 30_000, requested: 250_011 });
    expect(verdict.budgets.tokens?.remaining).toBe(30_000);
  });

  test('quantization rejects a burst that the per-minute limit allows', () => {
    const limiter = new RateLimiter({ quantization: { quantumMs: 1000 } });
    const limits = { group: 'm', limits: { rpm: 600 } };
    const verdicts = Array.from(
      { length: 12 },
      () => limiter.admit(0, 'org', limits, { requests: 1, tokens: 0, images: 0 }).kind,
    );
    expect(verdicts.filter((v) => v === 'allow')).toHaveLength(10);
    expect(new RateLimiter().admit(0, 'org', limits, { requests: 1, tokens: 0, images: 0 }).kind).toBe(
      'allow',
    );
  });

  test('organizations have separate buckets; models of a group share one', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 3; i++) limiter.admit(0, 'org-a', free, { requests: 1, tokens: 0, images: 0 });
    expect(limiter.admit(0, 'org-a', free, { requests: 1, tokens: 0, images: 0 }).kind).toBe('reject');
    expect(limiter.admit(0, 'org-b', free, { requests: 1, tokens: 0, images: 0 }).kind).toBe('allow');
  });
});
