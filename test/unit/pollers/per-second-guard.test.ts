import { describe, expect, test } from 'vitest';
import { PerSecondGuard } from '../../../src/pollers/per-second-guard.ts';

// 500 RPM: a share of ⌊500/60⌋ = 8 requests a second; no token limit unless given.
const LIMIT = 500;
// The minute budget has room for 500 requests unless a test says otherwise.
const makeGuard = (mode: 'yes' | 'auto' | 'no', room = 500) => new PerSecondGuard<number>(mode, () => room);

/** Sends as many requests as the guard lets through at `now`; returns their tickets. */
function sendAll(guard: PerSecondGuard<number>, now: number, waiting: number, first = 0): number[] {
  const sent: number[] = [];
  while (sent.length < waiting && guard.waitMs(now, LIMIT, undefined, 0, waiting - sent.length) <= 0) {
    const ticket = first + sent.length;
    guard.onSend(now, 0, ticket);
    sent.push(ticket);
  }
  return sent;
}

describe('PerSecondGuard', () => {
  test('yes: never more than the share in any second, tokens included', () => {
    const guard = makeGuard('yes');
    expect(sendAll(guard, 0, 20)).toHaveLength(8);
    expect(guard.waitMs(0, LIMIT, undefined, 0, 12)).toBe(1000);
    expect(sendAll(guard, 1000, 12, 8)).toHaveLength(8);
    // 30,000 TPM: 500 tokens a second.
    const tokens = makeGuard('yes');
    tokens.onSend(0, 400, 0);
    expect(tokens.waitMs(0, LIMIT, 30_000, 200, 1)).toBe(1000);
    expect(tokens.waitMs(0, LIMIT, 30_000, 100, 1)).toBe(0);
  });

  test('no: no per-second wait at all', () => {
    const guard = makeGuard('no');
    expect(sendAll(guard, 0, 50)).toHaveLength(50);
    expect(guard.active).toBe(false);
  });

  test('auto: a share plus one in one instant; all accepted lifts the guard', () => {
    const guard = makeGuard('auto');
    // Too few waiting for a test: the strict share.
    expect(sendAll(guard, 0, 8)).toHaveLength(8);
    // Enough waiting, but the last second is not clear: wait until it is.
    expect(guard.waitMs(500, LIMIT, undefined, 0, 20)).toBe(500);
    const burst = sendAll(guard, 1000, 20, 100);
    expect(burst).toHaveLength(9);
    for (const ticket of burst.slice(0, 8)) guard.onAccepted(ticket);
    expect(guard.active).toBe(true);
    guard.onAccepted(burst[8] as number);
    expect(guard.active).toBe(false);
    expect(sendAll(guard, 1000, 11, 200)).toHaveLength(11);
  });

  test('auto: a 429 in the test burst keeps the guard for good, and is reported as the test answer', () => {
    const guard = makeGuard('auto');
    const burst = sendAll(guard, 0, 20);
    expect(burst).toHaveLength(9);
    expect(guard.onFailed(burst[8] as number, true)).toBe(true);
    for (const ticket of burst.slice(0, 8)) guard.onAccepted(ticket);
    expect(guard.active).toBe(true);
    // No second test: the strict share from now on.
    expect(sendAll(guard, 5_000, 20, 100)).toHaveLength(8);
    expect(guard.onFailed(999, true)).toBe(false);
  });

  test('auto: a test the minute budget has no room for is not started', () => {
    const guard = makeGuard('auto', 5);
    let sent = 0;
    while (guard.waitMs(0, LIMIT, undefined, 0, 20) <= 0) guard.onSend(0, 0, sent++);
    expect(sent).toBe(8);
  });

  test('auto: a 5xx in the test burst leaves it undecided, and a later burst tests again', () => {
    const guard = makeGuard('auto');
    const first = sendAll(guard, 0, 20);
    expect(guard.onFailed(first[0] as number, false)).toBe(true);
    for (const ticket of first.slice(1)) guard.onAccepted(ticket);
    expect(guard.active).toBe(true);
    const second = sendAll(guard, 2_000, 20, 100);
    expect(second).toHaveLength(9);
    for (const ticket of second) guard.onAccepted(ticket);
    expect(guard.active).toBe(false);
  });
});
