import { expect, test } from 'vitest';
import { TimerQueue } from '../../sim/timer-queue.ts';

test('fires every timer due at the earliest instant, in the order set, and only those', () => {
  const queue = new TimerQueue(100);
  const fired: string[] = [];
  queue.setTimeout(() => fired.push('b'), 20);
  queue.setTimeout(() => fired.push('a1'), 10);
  queue.setTimeout(() => fired.push('a2'), 10);
  expect(queue.fireNext()).toBe(2);
  expect([queue.now(), fired]).toEqual([110, ['a1', 'a2']]);
  expect(queue.fireNext()).toBe(1);
  expect([queue.now(), fired, queue.count()]).toEqual([120, ['a1', 'a2', 'b'], 0]);
  expect(queue.fireNext()).toBe(0);
});

test('a timer set by a callback for the same instant waits for the next call', () => {
  const queue = new TimerQueue(0);
  const fired: string[] = [];
  queue.setTimeout(() => {
    fired.push('outer');
    queue.setTimeout(() => fired.push('inner'), 0);
  }, 5);
  expect(queue.fireNext()).toBe(1);
  expect(fired).toEqual(['outer']);
  expect(queue.fireNext()).toBe(1);
  expect([queue.now(), fired]).toEqual([5, ['outer', 'inner']]);
});

test('cleared timers never fire, and the heap is rebuilt once they outnumber the live ones', () => {
  const queue = new TimerQueue(0);
  const fired: number[] = [];
  const ids = Array.from({ length: 200 }, (_, i) => queue.setTimeout(() => fired.push(i), 1_000 - i));
  for (let i = 0; i < 200; i++) if (i % 4 !== 0) queue.clearTimeout(ids[i]);
  queue.clearTimeout(ids[1]); // twice: no effect
  queue.clearTimeout(undefined);
  expect(queue.count()).toBe(50);
  expect((queue as unknown as { heap: unknown[] }).heap.length).toBeLessThanOrEqual(100);
  while (queue.fireNext() > 0);
  expect(fired).toEqual(Array.from({ length: 50 }, (_, k) => 196 - 4 * k));
  expect(queue.count()).toBe(0);
});

test('a timer due after the limit does not fire: the time moves to the limit instead', () => {
  const queue = new TimerQueue(100);
  const fired: number[] = [];
  queue.setTimeout(() => fired.push(queue.now()), 50);
  queue.setTimeout(() => fired.push(queue.now()), 500);
  expect(queue.fireNext(200)).toBe(1);
  expect(queue.fireNext(200)).toBe(0);
  expect([queue.now(), fired, queue.count()]).toEqual([200, [150], 1]);
  expect(queue.fireNext()).toBe(1);
  expect([queue.now(), fired]).toEqual([600, [150, 600]]);
});
