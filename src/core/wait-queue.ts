import type { Clock } from './clock.ts';

interface Waiter<T, R> {
  readonly item: T;
  /** Higher goes first among those waiting; evaluated when a slot frees up. */
  readonly priority: () => number;
  /** `priority()` as of {@link WaitQueue.epoch} `epoch`. */
  cached: number;
  epoch: number;
  readonly onReady: (item: T) => R;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Waiting for a shared budget, highest priority first (then first come, first served). Only the head
 * sleeps; when its
 * wait is over, `onReady` runs in the same synchronous step (so it can reserve the budget before anyone
 * else looks). Without it, N waiters woken at the same instant all re-check and re-sleep: O(N) work
 * per budget slot instead of O(1).
 */
export class WaitQueue<T> {
  private readonly queue: Waiter<T, unknown>[] = [];
  private head = 0;
  private pumping = false;
  /**
   * Counts the pump's starts and sleeps. Between two of them the pump runs synchronously, so neither the
   * clock nor anything a priority reads can move (`onReady` must not change what priorities read): each
   * waiter's priority is evaluated once per epoch, not once per budget slot.
   */
  private epoch = 0;
  private readonly clock: Clock;
  private readonly waitFor: (item: T) => number;
  private readonly needsBudget: (item: T) => boolean;

  /**
   * @param waitFor - time until `item` may proceed now (≤ 0: now). @unit milliseconds
   * @param needsBudget - false for items that take nothing from the budget: they never queue.
   */
  constructor(clock: Clock, waitFor: (item: T) => number, needsBudget: (item: T) => boolean = () => true) {
    this.clock = clock;
    this.waitFor = waitFor;
    this.needsBudget = needsBudget;
  }

  /** Waits for `item`'s turn and budget, then returns `onReady(item)`, run synchronously at that moment. */
  enter<R>(item: T, onReady: (item: T) => R, priority: () => number = () => 0): Promise<R> {
    if ((this.head === this.queue.length || !this.needsBudget(item)) && this.waitFor(item) <= 0) {
      return Promise.resolve(onReady(item));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({
        item,
        priority,
        cached: 0,
        epoch: -1,
        onReady,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.pumping) void this.pump();
    });
  }

  /** How many items are waiting for the budget. */
  get length(): number {
    return this.queue.length - this.head;
  }

  private priorityOf(waiter: Waiter<T, unknown>): number {
    if (waiter.epoch !== this.epoch) {
      waiter.cached = waiter.priority();
      waiter.epoch = this.epoch;
    }
    return waiter.cached;
  }

  /** Moves the waiter with the highest priority (the earliest among equals) to the head. */
  private promoteBest(): void {
    let best = this.head;
    let bestPriority = this.priorityOf(this.queue[best] as Waiter<T, unknown>);
    for (let i = this.head + 1; i < this.queue.length; i++) {
      const priority = this.priorityOf(this.queue[i] as Waiter<T, unknown>);
      if (priority > bestPriority) {
        best = i;
        bestPriority = priority;
      }
    }
    if (best !== this.head) {
      const [waiter] = this.queue.splice(best, 1);
      this.queue.splice(this.head, 0, waiter as Waiter<T, unknown>);
    }
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    this.epoch++;
    try {
      while (this.head < this.queue.length) {
        this.promoteBest();
        const waiter = this.queue[this.head] as Waiter<T, unknown>;
        const wait = this.waitFor(waiter.item);
        if (wait > 0) {
          // Fake timers run whole milliseconds; round up so the budget is there on waking.
          await this.clock.sleep(Number.isFinite(wait) ? Math.ceil(wait) : 86_400_000);
          this.epoch++;
          continue;
        }
        this.head++;
        try {
          waiter.resolve(waiter.onReady(waiter.item));
        } catch (error) {
          waiter.reject(error);
        }
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
