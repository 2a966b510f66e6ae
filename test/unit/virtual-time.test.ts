import { expect, test } from 'vitest';
import { SimulationStopped, VirtualTime } from '../../sim/virtual-time.ts';

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
