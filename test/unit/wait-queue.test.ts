import { describe, expect, test } from 'vitest';
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

describe('a waiter with an AbortSignal', () => {
  // One slot a second, from 1 s on; each item served takes the next.
  const slots = (time: VirtualTime) => {
    let freeAt = 1_000;
    const served: string[] = [];
    const queue = new WaitQueue<string>(time.clock, () => freeAt - time.now);
    const take = (name: string, signal?: AbortSignal, priority = 0) =>
      queue.enter(
        name,
        (item) => {
          served.push(`${item}@${time.now}`);
          freeAt = time.now + 1_000;
        },
        () => priority,
        signal,
      );
    return { queue, served, take };
  };

  test('leaves the queue when it aborts: never served, rejected with the reason, its slot passed on', async () => {
    const time = VirtualTime.isolated(0);
    const { queue, served, take } = slots(time);
    const controller = new AbortController();
    const a = take('a');
    const b = take('b', controller.signal);
    const c = take('c');
    time.clock.sleep(1_500).then(() => controller.abort(new Error('b gave up')));
    await expect(time.run(b)).rejects.toThrow('b gave up');
    expect(queue.length).toBe(1);
    await time.run(Promise.all([a, c]));
    expect(served).toEqual(['a@1000', 'c@2000']);
  });

  test('the head leaving wakes the pump: the next goes when it may, and none left leaves no timer', async () => {
    const time = VirtualTime.isolated(0);
    const { served, take } = slots(time);
    const first = new AbortController();
    const second = new AbortController();
    // Both wait for the 1 s slot; the first (higher priority) is the head, and the pump sleeps for it.
    const a = take('a', first.signal, 2).catch((error: Error) => error.message);
    const b = take('b', second.signal, 1).catch((error: Error) => error.message);
    time.clock.sleep(400).then(() => first.abort(new Error('a gave up')));
    time.clock.sleep(600).then(() => second.abort(new Error('b gave up')));
    expect(await time.run(Promise.all([a, b]))).toEqual(['a gave up', 'b gave up']);
    expect(served).toEqual([]);
    expect(time.now).toBe(600);
    expect(time.pendingTimers).toBe(0);
  });

  test('a head that leaves lets a later one go at its own time', async () => {
    const time = VirtualTime.isolated(0);
    const { served, take } = slots(time);
    const controller = new AbortController();
    const a = take('a', controller.signal, 2).catch(() => 'left');
    const b = take('b', undefined, 1);
    time.clock.sleep(400).then(() => controller.abort());
    await time.run(Promise.all([a, b]));
    expect(served).toEqual(['b@1000']);
  });

  test('aborted before it enters: rejected at once, never served; aborted after its turn: nothing happens', async () => {
    const time = VirtualTime.isolated(0);
    const { queue, served, take } = slots(time);
    await expect(take('late', AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    const controller = new AbortController();
    await time.run(take('served', controller.signal));
    controller.abort();
    await time.run(take('next'));
    expect(served).toEqual(['served@1000', 'next@2000']);
    expect(queue.length).toBe(0);
  });
});

test('a clock that cannot sleep fails every waiter with its error, none hangs, and the queue serves again', async () => {
  // A live run's clock: once the run is over, each of its sleeps ends with the stop's reason.
  const stop = new AbortController();
  const time = VirtualTime.isolated(0);
  const clock = {
    now: () => time.now,
    sleep: (ms: number, signal?: AbortSignal) =>
      time.clock.sleep(ms, signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal])),
  };
  let freeAt = 10_000;
  const queue = new WaitQueue<string>(clock, () => freeAt - time.now);
  const leaving = new AbortController();
  const waiters = [
    queue.enter('a', () => 'a'),
    queue.enter('b', () => 'b', undefined, leaving.signal),
    queue.enter('c', () => 'c'),
  ];
  const outcomes = Promise.allSettled(waiters);
  await time.run(time.clock.sleep(1_000).then(() => stop.abort(new Error('run over'))));
  const settled = await outcomes;
  expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : s.status))).toEqual([
    'run over',
    'run over',
    'run over',
  ]);
  expect(queue.length).toBe(0);
  leaving.abort(); // after the queue let it go: nothing happens
  freeAt = 0;
  expect(await queue.enter('d', () => 'd')).toBe('d');
});
