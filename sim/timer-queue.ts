import type { TimerHost } from '../src/core/clock.ts';

/** A timer set on a {@link TimerQueue}; the handle `setTimeout` returns. */
export interface QueuedTimer {
  readonly atMs: number;
  /** Creation order: timers due at the same instant fire in the order they were set. */
  readonly seq: number;
  readonly callback: () => void;
  /** Cleared or fired: skipped when it reaches the top of the heap. */
  done: boolean;
}

/** Node (and fake-timers) turn a delay above 2³¹ − 1 ms into 1 ms; mirrored so both transports agree. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * The fast transport's virtual timers: a binary heap ordered by due time, then creation order.
 *
 * It follows @sinonjs/fake-timers' rules for `setTimeout` exactly (a delay is truncated to whole
 * milliseconds, non-finite or negative delays are 0, delays above 2³¹ − 1 ms become 1 ms; same-instant
 * timers fire in creation order; a property test replays random schedules on both), so the fast
 * transport and the SDK transport (which must fake the globals with fake-timers) produce identical
 * traces. It exists because fake-timers' `tick` scans every
 * pending timer whenever the earliest is not due (`firstTimerInRange`): with hundreds of jobs waiting,
 * that scan was a third of the fast transport's time (`node --cpu-prof`, tier-3 preset). Here each timer
 * costs O(log n) to set and to fire; a cleared timer stays in the heap, marked, until it reaches the top.
 */
export class TimerQueue implements TimerHost {
  private nowMs: number;
  private readonly heap: QueuedTimer[] = [];
  private seq = 0;
  private pending = 0;

  /** @param startMs - the initial virtual time. @unit milliseconds */
  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  /** Timers set and neither fired nor cleared. */
  count(): number {
    return this.pending;
  }

  setTimeout(callback: () => void, ms: number): QueuedTimer {
    let delay = Number.isFinite(ms) ? ms : 0;
    if (delay > MAX_TIMER_DELAY_MS) delay = 1;
    delay = Math.max(0, delay);
    // fake-timers reads the delay back with parseInt(String(delay)): the same as truncating, except
    // below 1e-6, where the exponent notation ("5e-7") parses as its mantissa.
    delay = delay >= 1e-6 ? Math.trunc(delay) : Number.parseInt(String(delay), 10) || 0;
    const timer: QueuedTimer = { atMs: this.nowMs + delay, seq: this.seq++, callback, done: false };
    this.push(timer);
    this.pending++;
    return timer;
  }

  clearTimeout(id: unknown): void {
    const timer = id as QueuedTimer | undefined;
    if (timer === undefined || timer === null || timer.done) return;
    timer.done = true;
    this.pending--;
    // Cleared timers wait in the heap until they surface; rebuild when they outnumber live ones, so a
    // long run of cancellations cannot grow the heap without bound.
    if (this.heap.length > 64 && this.heap.length > 2 * this.pending) this.compact();
  }

  /**
   * Moves the time to the earliest pending timer and fires it and every other timer due at that same
   * instant, in creation order. Timers set by the callbacks themselves wait for the next call. A timer
   * due after `limitMs` is not fired: the time moves to `limitMs` (if later than now) and stops there.
   * @param limitMs - the latest time to move to. @unit milliseconds @defaultValue no limit
   * @returns how many timers fired (0 when none is pending, or the earliest is due after `limitMs`).
   */
  fireNext(limitMs = Number.POSITIVE_INFINITY): number {
    this.dropDone();
    const first = this.heap[0];
    if (first === undefined) return 0;
    const at = first.atMs;
    if (at > limitMs) {
      this.nowMs = Math.max(this.nowMs, limitMs);
      return 0;
    }
    this.nowMs = at;
    const limit = this.seq;
    let fired = 0;
    for (;;) {
      this.dropDone();
      const top = this.heap[0];
      if (top === undefined || top.atMs !== at || top.seq >= limit) break;
      this.pop();
      top.done = true;
      this.pending--;
      fired++;
      top.callback();
    }
    return fired;
  }

  private dropDone(): void {
    while (this.heap.length > 0 && (this.heap[0] as QueuedTimer).done) this.pop();
  }

  private compact(): void {
    const live = this.heap.filter((t) => !t.done);
    this.heap.length = 0;
    for (const timer of live) this.push(timer);
  }

  private push(timer: QueuedTimer): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as QueuedTimer;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as QueuedTimer;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right] as QueuedTimer, heap[left] as QueuedTimer) ? right : left;
      if (!before(heap[child] as QueuedTimer, last)) break;
      heap[i] = heap[child] as QueuedTimer;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
