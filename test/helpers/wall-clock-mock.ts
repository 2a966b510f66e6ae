import { systemClock } from '../../src/core/clock.ts';
import { createMockOpenAI, type MockOpenAI } from '../../src/server/create-mock-openai.ts';

/**
 * A tier-1 mock on the wall clock whose background responses take `minMs`–`maxMs` and whose answers
 * take 5 ms: for a program that runs in real time over loopback HTTP, in a test's second or two.
 */
export function quickWallClockMock(seed: number, minMs: number, maxMs: number): MockOpenAI {
  return createMockOpenAI({
    tier: '1',
    seed,
    clock: systemClock,
    latency: {
      request: { kind: 'fixed', ms: 5 },
      response: { queue: { kind: 'fixed', ms: 0 }, duration: { kind: 'uniform', minMs, maxMs } },
    },
  });
}
