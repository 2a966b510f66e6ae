import { describe, expect, test } from 'vitest';
import { sdkDefaultBackoffMs, sdkRetryDelayMs, sdkShouldRetry } from '../../../src/client/sdk-retry.ts';
import { createRandom } from '../../../src/core/random.ts';
import { backoffDelay } from '../../../src/pollers/jitter.ts';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
const shape = { baseMs: 1_000, factor: 2, capMs: 8_000 };

describe('backoffDelay (Brooker 2015)', () => {
  test('none: min(cap, base·factor^n)', () => {
    expect(
      [0, 1, 2, 3, 4].map((n) => backoffDelay({ ...shape, jitter: 'none' }, n, 0, createRandom(1))),
    ).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });
  test('full, equal and decorrelated stay in their ranges', () => {
    const random = createRandom(7);
    for (let n = 0; n < 200; n++) {
      const v = Math.min(8_000, 1_000 * 2 ** (n % 6));
      const full = backoffDelay({ ...shape, jitter: 'full' }, n % 6, 0, random);
      expect(full).toBeGreaterThanOrEqual(0);
      expect(full).toBeLessThanOrEqual(v);
      const equal = backoffDelay({ ...shape, jitter: 'equal' }, n % 6, 0, random);
      expect(equal).toBeGreaterThanOrEqual(v / 2);
      expect(equal).toBeLessThanOrEqual(v);
      const decorrelated = backoffDelay({ ...shape, jitter: 'decorrelated' }, n, 3_000, random);
      expect(decorrelated).toBeGreaterThanOrEqual(1_000);
      expect(decorrelated).toBeLessThanOrEqual(8_000);
    }
  });
});

describe("the SDK's retry rules (openai-node client.js)", () => {
  test('retries 408, 409, 429, 5xx; x-should-retry overrides', () => {
    const none = headers({});
    expect([400, 401, 404, 408, 409, 429, 500, 503].map((s) => sdkShouldRetry(s, none))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(sdkShouldRetry(429, headers({ 'x-should-retry': 'false' }))).toBe(false);
    expect(sdkShouldRetry(400, headers({ 'x-should-retry': 'true' }))).toBe(true);
  });
  test('retry-after-ms first, then retry-after seconds; 0 is honoured; over 60 s falls back to backoff', () => {
    const random = createRandom(1);
    expect(sdkRetryDelayMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), 2, 2, random)).toBe(
      1500,
    );
    expect(sdkRetryDelayMs(headers({ 'retry-after': '3' }), 2, 2, random)).toBe(3000);
    expect(sdkRetryDelayMs(headers({ 'retry-after-ms': '0' }), 2, 2, random)).toBe(0);
    const fallback = sdkRetryDelayMs(headers({ 'retry-after': '61' }), 2, 2, random);
    expect(fallback).toBeGreaterThan(375);
    expect(fallback).toBeLessThanOrEqual(500);
  });
  test('default backoff: min(0.5·2^n, 8) s × (0.75, 1]', () => {
    const random = createRandom(3);
    for (let retries = 0; retries < 6; retries++) {
      const ms = sdkDefaultBackoffMs(6 - retries, 6, random);
      const top = Math.min(500 * 2 ** retries, 8_000);
      expect(ms).toBeGreaterThan(top * 0.75);
      expect(ms).toBeLessThanOrEqual(top);
    }
  });
});
