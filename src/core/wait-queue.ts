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
  /** What lets the waiter leave before its turn, if anything, and its listener on it. */
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
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
  /** How many of those waiting can leave (came with a signal). */
  private cancellable = 0;
  /**
   * Wakes the pump's sleep when a waiter leaves: the next may go sooner, or none be left, and a sleep
   * nobody waits for would keep the process alive until it ends. Only set while someone can leave, so
   * a simulation's sleeps (no signals) carry no listener.
   */
  private wake: AbortController | undefined;
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

  /**
   * Waits for `item`'s turn and budget, then returns `onReady(item)`, run synchronously at that moment.
   * When `signal` aborts first, `item` leaves the queue (`onReady` never runs for it) and this rejects
   * with the signal's reason; if no one is left waiting, no timer is either.
   */
  enter<R>(
    item: T,
    onReady: (item: T) => R,
    priority: () => number = () => 0,
    signal?: AbortSignal,
  ): Promise<R> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if ((this.head === this.queue.length || !this.needsBudget(item)) && this.waitFor(item) <= 0) {
      return Promise.resolve(onReady(item));
    }
    return new Promise<R>((resolve, reject) => {
      // One shape with or without a signal, so that the pump's reads stay monomorphic.
      const waiter: Waiter<T, unknown> = {
        item,
        priority,
        cached: 0,
        epoch: -1,
        onReady,
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: signal === undefined ? undefined : () => this.leave(waiter, signal.reason),
      };
      if (signal !== undefined) {
        signal.addEventListener('abort', waiter.onAbort as () => void, { once: true });
        this.cancellable++;
      }
      this.queue.push(waiter);
      if (!this.pumping) void this.pump();
    });
  }

  /** Takes `waiter` out before its turn, and lets the pump plan again without it. */
  private leave(waiter: Waiter<T, unknown>, reason: unknown): void {
    const at = this.queue.indexOf(waiter, this.head);
    if (at < 0) return;
    this.queue.splice(at, 1);
    this.cancellable--;
    waiter.reject(reason);
    this.wake?.abort();
  }

  private failAll(error: unknown): void {
    const waiting = this.queue.splice(0).slice(this.head);
    this.head = 0;
    this.cancellable = 0;
    for (const waiter of waiting) {
      if (waiter.signal !== undefined)
        waiter.signal.removeEventListener('abort', waiter.onAbort as () => void);
      waiter.reject(error);
    }
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
          const ms = Number.isFinite(wait) ? Math.ceil(wait) : 86_400_000;
          try {
            if (this.cancellable === 0) await this.clock.sleep(ms);
            else await this.wakeableSleep(ms);
          } catch (error) {
            // A clock that cannot wait (one whose sleeps end with the run they belong to, as a live
            // run's do) leaves no one a turn to wait for: every waiter gets its error, none hangs.
            this.failAll(error);
            return;
          }
          this.epoch++;
          continue;
        }
        this.head++;
        if (waiter.signal !== undefined) {
          waiter.signal.removeEventListener('abort', waiter.onAbort as () => void);
          this.cancellable--;
        }
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

  /**
   * A sleep that ends early, quietly, when a waiter leaves. A sleep begun while none could leave is not:
   * those it was for stay until served, so it is needed to its end anyway.
   */
  private async wakeableSleep(ms: number): Promise<void> {
    const wake = new AbortController();
    this.wake = wake;
    try {
      await this.clock.sleep(ms, wake.signal);
    } catch (error) {
      if (!wake.signal.aborted) throw error;
    } finally {
      if (this.wake === wake) this.wake = undefined;
    }
  }
}
