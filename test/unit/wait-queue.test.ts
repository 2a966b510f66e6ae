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
