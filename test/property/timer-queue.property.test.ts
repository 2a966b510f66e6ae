import { fc, test } from '@fast-check/vitest';
import { createClock } from '@sinonjs/fake-timers';
import { describe, expect } from 'vitest';
import { TimerQueue } from '../../sim/timer-queue.ts';
import { fcSeed } from '../helpers/seed.ts';

// Delays that exercise every rule: whole, fractional (truncated), zero, negative and NaN (0), and above
// 2³¹ − 1 ms (1 ms, as in Node).
const delay = fc.oneof(
  fc.integer({ min: 0, max: 5_000 }),
  fc.double({ min: -10, max: 50, noNaN: false }),
  fc.constantFrom(0, 2_147_483_647, 2_147_483_648, 3e9, Number.POSITIVE_INFINITY),
);
const op = fc.oneof(
  { weight: 4, arbitrary: delay.map((ms) => ({ kind: 'set' as const, ms })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: 'clear' as const, pick })) },
  { weight: 3, arbitrary: fc.constant({ kind: 'fire' as const }) },
);

interface Host {
  now(): number;
  set(callback: () => void, ms: number): unknown;
  clear(id: unknown): void;
  fireNext(): void;
  count(): number;
}

type OpList = readonly ({ kind: 'set'; ms: number } | { kind: 'clear'; pick: number } | { kind: 'fire' })[];

function replay(host: Host, ops: OpList): string[] {
  const log: string[] = [];
  const ids: unknown[] = [];
  for (const o of ops) {
    if (o.kind === 'set') {
      const n = ids.length;
      ids.push(host.set(() => log.push(`${n}@${host.now()}`), o.ms));
    } else if (o.kind === 'clear') {
      if (ids.length > 0) host.clear(ids[o.pick % ids.length]);
    } else {
      host.fireNext();
      log.push(`fire:${host.now()}:${host.count()}`);
    }
  }
  while (host.count() > 0) host.fireNext();
  log.push(`end:${host.now()}`);
  return log;
}

describe(`TimerQueue keeps fake-timers' rules (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.prop([fc.array(op, { maxLength: 80 })], { numRuns: 300 })(
    'the same timers fire at the same times, in the same order, as on @sinonjs/fake-timers',
    (ops) => {
      const fake = createClock(0, Number.MAX_SAFE_INTEGER);
      const reference = replay(
        {
          now: () => fake.now,
          set: (cb, ms) => fake.setTimeout(cb, ms),
          clear: (id) => fake.clearTimeout(id as never),
          fireNext: () => {
            if (fake.countTimers() === 0) return;
            fake.next();
            fake.tick(0);
          },
          count: () => fake.countTimers(),
        },
        ops,
      );
      const queue = new TimerQueue(0);
      const ours = replay(
        {
          now: () => queue.now(),
          set: (cb, ms) => queue.setTimeout(cb, ms),
          clear: (id) => queue.clearTimeout(id),
          fireNext: () => void queue.fireNext(),
          count: () => queue.count(),
        },
        ops,
      );
      expect(ours).toEqual(reference);
    },
  );
});
