import { expect, test } from 'vitest';
import { VirtualTime } from '../../sim/virtual-time.ts';
import { WaitQueue } from '../../src/core/wait-queue.ts';

test('WaitQueue serves waiting items by priority, then in arrival order, one per free slot', async () => {
  const time = VirtualTime.isolated(0);
  let freeAt = 1_000;
  const queue = new WaitQueue<string>(time.clock, () => freeAt - time.now);
  const served: string[] = [];
  const take = (name: string, priority: number) =>
    queue.enter(
      name,
      (item) => {
        served.push(`${item}@${time.now}`);
        freeAt = time.now + 1_000; // each item takes the slot for a second
      },
      () => priority,
    );
  const all = Promise.all([
    take('poll-unlikely', 0.1),
    take('create', 1),
    take('poll-likely', 0.9),
    take('create-2', 1),
  ]);
  expect(queue.length).toBe(4);
  await time.run(all);
  expect(served).toEqual(['create@1000', 'create-2@2000', 'poll-likely@3000', 'poll-unlikely@4000']);
  expect(queue.length).toBe(0);
});

test('items that take nothing from the budget never queue', async () => {
  const time = VirtualTime.isolated(0);
  const queue = new WaitQueue<string>(
    time.clock,
    (item) => (item === 'free' ? 0 : 5_000 - time.now),
    (item) => item !== 'free',
  );
  const order: string[] = [];
  const waiting = queue.enter('counted', () => order.push('counted'));
  await queue.enter('free', () => order.push('free'));
  await time.run(waiting);
  expect(order).toEqual(['free', 'counted']);
});

test('priorities are read once per wake-up, not once per free slot, and still follow the clock', async () => {
  const time = VirtualTime.isolated(0);
  // Three slots free at 1 s, then one at 2 s; priorities grow with time, fastest for 'c'.
  const queue = new WaitQueue<string>(time.clock, () => (served.length < 3 ? 1_000 : 2_000) - time.now);
  const served: string[] = [];
  const reads = new Map<string, number>();
  const take = (name: string, growth: number) =>
    queue.enter(
      name,
      (item) => served.push(`${item}@${time.now}`),
      () => {
        reads.set(name, (reads.get(name) ?? 0) + 1);
        return (growth * time.now) / 1_000;
      },
    );
  const all = Promise.all([take('a', 1), take('b', 2), take('c', 3), take('d', 0.5)]);
  await time.run(all);
  // At 1 s: c, b, a, by the priorities read then; d waits for the 2 s slot.
  expect(served).toEqual(['c@1000', 'b@1000', 'a@1000', 'd@2000']);
  // 'a' is read alone when it starts the queue at 0; at 1 s each is read once for all three slots (with
  // a read per slot and per check it was a: 4, b: 2, c: 1, d: 5); 'd' once more at 2 s.
  expect(Object.fromEntries(reads)).toEqual({ a: 2, b: 1, c: 1, d: 2 });
});
