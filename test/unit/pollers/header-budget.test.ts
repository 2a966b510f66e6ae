import { describe, expect, test } from 'vitest';
import { HeaderBudget } from '../../../src/pollers/header-budget.ts';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
const minuteHeaders = (limit: number, remaining: number, resetMs: number) =>
  headers({
    'x-ratelimit-limit-requests': String(limit),
    'x-ratelimit-remaining-requests': String(remaining),
    'x-ratelimit-reset-requests': `${resetMs}ms`,
  });

describe('HeaderBudget', () => {
  test('knows nothing before headers, and waits for nothing', () => {
    const budget = new HeaderBudget();
    expect(budget.informed).toBe(false);
    expect(budget.waitMs(0, 'runs.retrieve', 0)).toBe(0);
  });

  test('paces to the refill of a continuous bucket (3 RPM: one request per 20 s)', () => {
    const budget = new HeaderBudget();
    const ticket = budget.onSend('runs.retrieve', 0, 0);
    budget.onAnswer('runs.retrieve', ticket, minuteHeaders(3, 0, 60_000), 1_000, 200);
    expect(budget.waitMs(1_000, 'runs.retrieve', 0)).toBeCloseTo(20_000, 6);
    expect(budget.waitMs(21_000, 'runs.retrieve', 0)).toBe(0);
  });

  test('a request larger than the whole token budget waits for a full budget, not for ever', () => {
    const budget = new HeaderBudget();
    const ticket = budget.onSend('responses.create', 100, 0);
    budget.onAnswer(
      'responses.create',
      ticket,
      headers({
        'x-ratelimit-limit-tokens': '40000',
        'x-ratelimit-remaining-tokens': '20000',
        'x-ratelimit-reset-tokens': '30s',
      }),
      0,
      200,
    );
    // 50,000 tokens never fit a 40,000 bucket: it goes when the bucket is full (30 s), and the server
    // refuses it then ("Request too large", not retried).
    expect(budget.waitMs(0, 'responses.create', 50_000)).toBeCloseTo(30_000, 6);
    expect(budget.waitMs(30_000, 'responses.create', 50_000)).toBe(0);
  });

  test('counts what it sent since the answer, and requests still in flight', () => {
    const budget = new HeaderBudget();
    const first = budget.onSend('runs.retrieve', 0, 0);
    budget.onSend('runs.retrieve', 0, 0); // in flight, answer not back
    budget.onAnswer('runs.retrieve', first, minuteHeaders(3, 1, 40_000), 0, 200);
    expect(budget.waitMs(0, 'runs.retrieve', 0)).toBeCloseTo(20_000, 6);
  });

  test('a withdrawn request (never sent, or aborted on the way) costs nothing in later estimates', () => {
    const run = (withdraw: boolean) => {
      const budget = new HeaderBudget();
      const first = budget.onSend('responses.create', 0, 0);
      const abandoned = budget.onSend('responses.retrieve', 0, 0);
      if (withdraw) budget.withdraw(abandoned);
      budget.onAnswer('responses.create', first, minuteHeaders(3, 2, 20_000), 100, 200);
      // Minutes later, with a new answer: an unanswered ticket would count as in flight again.
      const later = budget.onSend('responses.retrieve', 0, 120_000);
      budget.onAnswer('responses.retrieve', later, minuteHeaders(3, 2, 20_000), 120_100, 200);
      return budget.fill(120_100);
    };
    expect(run(true)).toBeCloseTo(2 / 3, 6);
    expect(run(false)).toBeCloseTo(1 / 3, 6);
  });

  test('learns that a route whose answers carry no headers does not count', () => {
    const budget = new HeaderBudget();
    const counted = budget.onSend('runs.retrieve', 0, 0);
    budget.onAnswer('runs.retrieve', counted, minuteHeaders(3, 0, 60_000), 0, 200);
    const thread = budget.onSend('threads.create', 0, 0);
    budget.onAnswer('threads.create', thread, headers({}), 0, 200);
    expect(budget.counts('threads.create')).toBe(false);
    expect(budget.waitMs(0, 'threads.create', 0)).toBe(0);
    expect(budget.waitMs(0, 'runs.retrieve', 0)).toBeGreaterThan(0);
  });

  test('treats headers that do not fit a continuous bucket as a window: budget back only at reset', () => {
    const budget = new HeaderBudget();
    const ticket = budget.onSend('runs.retrieve', 0, 0);
    // 3 RPM with 0 left would reset in 60 s if continuous; 5 s says a window ends then.
    budget.onAnswer('runs.retrieve', ticket, minuteHeaders(3, 0, 5_000), 0, 200);
    expect(budget.waitMs(1_000, 'runs.retrieve', 0)).toBe(4_000);
    expect(budget.waitMs(5_000, 'runs.retrieve', 0)).toBe(0);
  });

  test('fill: 1 before headers, then the level over the limit, less what was sent since, refilling', () => {
    const budget = new HeaderBudget();
    expect(budget.fill(0)).toBe(1);
    const ticket = budget.onSend('runs.retrieve', 0, 0);
    // 60 RPM, 30 left: half full; one more sent since the answer: 29/60; 10 s of refill later: 39/60.
    budget.onAnswer('runs.retrieve', ticket, minuteHeaders(60, 30, 30_000), 0, 200);
    expect(budget.fill(0)).toBeCloseTo(0.5, 9);
    budget.onSend('runs.retrieve', 0, 0);
    expect(budget.fill(0)).toBeCloseTo(29 / 60, 9);
    expect(budget.fill(10_000)).toBeCloseTo(39 / 60, 9);
    // Ten minutes on, the request sent at 0 has long been refilled: the bucket is full.
    expect(budget.fill(600_000)).toBe(1);
  });

  test('a larger share (others on the bucket) slows the refill it counts on', () => {
    const budget = new HeaderBudget();
    const ticket = budget.onSend('runs.retrieve', 0, 0);
    budget.onAnswer('runs.retrieve', ticket, minuteHeaders(3, 0, 60_000), 0, 200);
    budget.share = 3;
    expect(budget.waitMs(0, 'runs.retrieve', 0)).toBeCloseTo(60_000, 6);
  });

  test('requests answered without headers (429s) are spent when sent, and refill like the others', () => {
    const budget = new HeaderBudget();
    const ticket = budget.onSend('runs.retrieve', 0, 0);
    budget.onAnswer('runs.retrieve', ticket, minuteHeaders(3, 1, 40_000), 0, 200);
    // Three 429s with no headers, 20 s apart: each counts, and none brings a new estimate.
    for (const at of [1_000, 21_000, 41_000]) {
      const limited = budget.onSend('runs.retrieve', 0, at);
      budget.onAnswer('runs.retrieve', limited, headers({}), at + 100, 429);
    }
    expect(budget.waitMs(41_100, 'runs.retrieve', 0)).toBeGreaterThan(0);
    // Once a minute has refilled what they spent, the budget is back: it never stays spent for ever.
    expect(budget.waitMs(101_000, 'runs.retrieve', 0)).toBe(0);
  });

  test('a window forgets what was sent before it, and leaves one request a window however large the share', () => {
    const budget = new HeaderBudget();
    const ticket = budget.onSend('runs.retrieve', 0, 0);
    budget.onAnswer('runs.retrieve', ticket, minuteHeaders(3, 0, 5_000), 0, 200);
    budget.onSend('runs.retrieve', 0, 1_000); // a 429 before the reset
    budget.share = 4; // three others assumed on the bucket: 3/4 of a request each
    expect(budget.waitMs(5_000, 'runs.retrieve', 0)).toBe(0);
    budget.onSend('runs.retrieve', 0, 5_000);
    // That window's request is spent: the next comes with the next window, a minute after the reset.
    expect(budget.waitMs(6_000, 'runs.retrieve', 0)).toBe(59_000);
    expect(budget.waitMs(65_000, 'runs.retrieve', 0)).toBe(0);
  });

  test('declared processes each keep back what the others may spend in one round trip, learned shares do not', () => {
    // 6,000 RPM (0.1 a ms), four processes, a bucket just run dry, answered 200 ms after the send.
    const run = (processes: number) => {
      const budget = new HeaderBudget();
      budget.share = 4;
      budget.processes = processes;
      const ticket = budget.onSend('responses.retrieve', 0, 0);
      budget.onAnswer('responses.retrieve', ticket, minuteHeaders(6_000, 0, 60_000), 200, 200);
      return budget.waitMs(200, 'responses.retrieve', 0);
    };
    // Its part of the refill is 0.025 a ms: one request in 40 ms. Three others at the same rate may have
    // sent 3/4 × 0.1 × 200 = 15 requests it cannot see yet, which take 600 ms more to come back.
    expect(run(1)).toBeCloseTo(40, 6);
    expect(run(4)).toBeCloseTo(640, 6);
  });

  test('the reserve never keeps a request out of a full budget, however slow the answers', () => {
    const budget = new HeaderBudget();
    budget.share = 2;
    budget.processes = 2;
    const ticket = budget.onSend('responses.create', 0, 0);
    // 600 RPM (0.01 a ms) answered after 5 minutes, as a synchronous response can be: the other's part
    // is 1/2 × 0.01 × 300,000 = 1,500 requests, capped at half of this process's part, 150. Its part of
    // the full bucket is 300, so 150 requests go at once and the next waits for its refill (5 a second).
    budget.onAnswer('responses.create', ticket, minuteHeaders(600, 600, 0), 300_000, 200);
    for (let i = 0; i < 150; i++) {
      expect(budget.waitMs(300_000, 'responses.create', 0)).toBe(0);
      budget.onSend('responses.create', 0, 300_000);
    }
    expect(budget.waitMs(300_000, 'responses.create', 0)).toBeCloseTo(200, 6);
  });
});
