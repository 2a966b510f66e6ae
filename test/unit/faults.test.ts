import { describe, expect, test } from 'vitest';
import type { Clock } from '../../src/core/clock.ts';
import { MockCore } from '../../src/server/mock-core.ts';
import type { FaultWindow } from '../../src/server/mock-options.ts';

/** A clock that moves only when told to. */
function manualClock(): Clock & { set(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    sleep: async () => {},
    set(ms) {
      now = ms;
    },
  };
}

const windows: FaultWindow[] = [
  { kind: 'overloaded', fromMs: 1_000, toMs: 2_000 },
  { kind: 'server_error', fromMs: 2_000, toMs: 2_500 }, // abuts the first
  { kind: 'insufficient_quota', fromMs: 2_400, toMs: 3_000 }, // overlaps the second
  { kind: 'latency', fromMs: 3_000, toMs: 9_000, latencyMs: 5_000 }, // slow, not failing
  { kind: 'overloaded', fromMs: 10_000, toMs: 11_000 },
];

describe('scheduled fault windows', () => {
  const clock = manualClock();
  const core = new MockCore({ tier: '1', clock, seed: 1, faults: { windows } });
  const create = () =>
    core.handle({
      method: 'POST',
      path: '/responses',
      authorization: 'Bearer sk-test',
      body: { model: 'gpt-4.1', input: 'hi', background: true },
    });

  test('faultFreeAt skips abutting and overlapping error windows, not latency ones', () => {
    expect(core.faultFreeAt(0)).toBe(0);
    expect(core.faultFreeAt(999)).toBe(999);
    expect(core.faultFreeAt(1_000)).toBe(3_000);
    expect(core.faultFreeAt(2_450)).toBe(3_000);
    expect(core.faultFreeAt(3_000)).toBe(3_000);
    expect(core.faultFreeAt(10_500)).toBe(11_000);
    expect(core.faultFreeAt(11_000)).toBe(11_000);
  });

  test('inside a window every request fails with its error and creates nothing; at faultFreeAt it succeeds', () => {
    clock.set(1_500);
    const failed = create();
    expect(failed.status).toBe(503);
    expect((failed.body as { error: { code: string } }).error.code).toBe('server_is_overloaded');
    clock.set(2_100);
    expect(create().status).toBe(500);
    expect(core.state.responses.size).toBe(0);
    clock.set(core.faultFreeAt(1_500));
    expect(create().status).toBe(200);
    expect(core.state.responses.size).toBe(1);
  });
});
