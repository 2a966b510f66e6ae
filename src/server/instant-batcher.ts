import type { Clock } from '../core/clock.ts';

interface Pending {
  readonly key: string;
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Handles requests that arrive in the same virtual instant in one canonical order (by key, then by
 * arrival), at the end of the instant. Without it, the order would depend on how many promise hops
 * each transport takes to reach the server (the real SDK takes more for a POST than a GET), and the
 * two transports would disagree whenever two clients collide.
 */
export class InstantBatcher {
  private pending: Pending[] = [];
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /**
   * Runs `run` at the end of the current instant, in `key` order among this instant's arrivals: the
   * clock's `atEndOfInstant` where it has one (the simulator's, in both transports), else a zero-delay
   * timer. The first costs no timer event: a third of the fast transport's events were these timers.
   */
  submit<T>(key: string, run: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.pending.length === 0) {
        if (this.clock.atEndOfInstant !== undefined) this.clock.atEndOfInstant(this.flush);
        // A zero-delay timer fires at this same instant, after everything already in flight.
        else this.clock.sleep(0).then(this.flush);
      }
      this.pending.push({ key, run, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  // An arrow, so that it can be handed to the clock as it is.
  private readonly flush = (): void => {
    const batch = this.pending;
    this.pending = [];
    // Array.prototype.sort is stable: equal keys keep their arrival order.
    batch.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const item of batch) {
      try {
        item.resolve(item.run());
      } catch (error) {
        item.reject(error);
      }
    }
  };
}
