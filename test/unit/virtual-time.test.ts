import { expect, test } from 'vitest';
import { SimulationStopped, VirtualTime } from '../../sim/virtual-time.ts';

/** Runs `body` on a new clock, and restores the globals after. */
async function onClock(make: () => VirtualTime, body: (time: VirtualTime) => Promise<void>) {
  const time = make();
  try {
    await body(time);
  } finally {
    time.dispose();
  }
}

/** Each test below runs on both transports' clocks. */
const BOTH_CLOCKS: [string, () => VirtualTime][] = [
  ['isolated', () => VirtualTime.isolated(0)],
  ['global (fake-timers)', () => VirtualTime.global(0)],
];

test('the clock moves only once every promise chain of the instant has finished, however deep', async () => {
  const time = VirtualTime.isolated(0);
  const seen: string[] = [];
  const actor = async (name: string, depth: number) => {
    for (let step = 1; step <= 3_000; step++) {
      await time.clock.sleep(10);
      const woke = time.now;
      for (let k = 0; k < depth; k++) await null;
      // A premature advance would show as a time later than the one this step woke at.
      if (time.now !== woke || woke !== step * 10)
        seen.push(`${name} step ${step}: woke ${woke}, now ${time.now}`);
    }
  };
  await time.run(Promise.all([actor('shallow', 1), actor('deep', 300), actor('deeper', 2_000)]));
  expect(seen).toEqual([]);
  expect(time.now).toBe(30_000);
});

test('work that passes through a real macrotask is given a real turn before the run is called stalled', async () => {
  const time = VirtualTime.isolated(0);
  const job = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await time.clock.sleep(1_000);
    }
    return time.now;
  };
  await expect(time.run(job())).resolves.toBe(3_000);
});

test('a run that waits on nothing is stopped as stalled, not left hanging', async () => {
  const time = VirtualTime.isolated(0);
  const never = new Promise<void>(() => {});
  const run = time.run(time.clock.sleep(5).then(() => never));
  await expect(run).rejects.toBeInstanceOf(SimulationStopped);
  await expect(run).rejects.toMatchObject({ reason: 'stalled' });
});

test.each(BOTH_CLOCKS)(
  '%s: atEndOfInstant runs once every chain of the instant has settled, before any other timer',
  (_, make) =>
    onClock(make, async (time) => {
      const seen: string[] = [];
      const chain = async (name: string, depth: number) => {
        await time.clock.sleep(10);
        for (let k = 0; k < depth; k++) await null;
        seen.push(`${name} done at ${time.now}`);
        time.clock.atEndOfInstant?.(() => seen.push(`end of ${name}'s instant at ${time.now}`));
      };
      const other = async () => {
        await time.clock.sleep(10);
        await time.clock.sleep(0); // due at the same time, but a timer: after the end of the instant
        seen.push(`zero-delay timer at ${time.now}`);
      };
      await time.run(Promise.all([chain('a', 1), chain('b', 500), other()]));
      expect(seen).toEqual([
        'a done at 10',
        'b done at 10',
        "end of a's instant at 10",
        "end of b's instant at 10",
        'zero-delay timer at 10',
      ]);
    }),
);

test.each(BOTH_CLOCKS)(
  '%s: a sleep longer than one timer holds (2³¹ − 1 ms) lasts as long as asked',
  (_, make) =>
    onClock(make, async (time) => {
      // A single timer makes this 1 ms (Node and fake-timers alike): a poller sleeping what a header
      // said would poll in a tight loop.
      const days25 = 25 * 86_400_000 + 7;
      await time.run(time.clock.sleep(days25), { horizonMs: 40 * 86_400_000 });
      expect(time.now).toBe(days25);
      const forever = time.run(time.clock.sleep(Number.POSITIVE_INFINITY), { horizonMs: 60 * 86_400_000 });
      await expect(forever).rejects.toMatchObject({ reason: 'horizon' });
    }),
);

test.each(BOTH_CLOCKS)(
  '%s: a run cut at the horizon stops at it, and fires nothing due after it',
  (_, make) =>
    onClock(make, async (time) => {
      const fired: number[] = [];
      const at = (ms: number) => time.clock.sleep(ms).then(() => fired.push(time.now));
      // Due at the horizon itself, twice (the second set by the first's wake-up), then well past it.
      // A horizon within a millisecond ends at its start: timers fall on whole milliseconds, and the
      // transports agree.
      const run = time.run(Promise.all([at(1_000), at(3_600_000).then(() => at(0)), at(26_539_821)]), {
        horizonMs: 3_600_000.6,
      });
      await expect(run).rejects.toMatchObject({
        reason: 'horizon',
        message: 'horizon reached at 1h',
      });
      expect(fired).toEqual([1_000, 3_600_000, 3_600_000]);
      expect(time.now).toBe(3_600_000);
    }),
);
