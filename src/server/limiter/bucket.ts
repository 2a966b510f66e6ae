/**
 * One limit on one dimension: `limit` units per `periodMs`. Three algorithms, because OpenAI does not
 * document its own (facts §4) and pollers must be tested against a server that differs from the one
 * they assume.
 */
export interface Bucket {
  /** Units available now (may be fractional for the token bucket). */
  available(nowMs: number): number;
  /** Time until `cost` units will be available, 0 if they are now. @unit milliseconds */
  waitFor(nowMs: number, cost: number): number;
  /**
   * Time until a request of `cost` would be admitted, under the tolerance admission uses (at most
   * `waitFor`). A client that waits exactly this long, rounded up to whole ms, gets in at the earliest
   * instant. @unit milliseconds
   */
  admissibleIn(nowMs: number, cost: number): number;
  /** Takes `cost` units; never leaves the bucket below empty. */
  take(nowMs: number, cost: number): void;
  /** Time until the bucket is back to its initial (full) state, from integer `remaining`. @unit milliseconds */
  resetMs(nowMs: number): number;
}

/** Limiter algorithm names accepted in options and scenario files. */
export type LimiterAlgorithm = 'token-bucket' | 'fixed-window' | 'sliding-window';

/** Float slack so that a client that waits exactly the advertised time is admitted. */
const EPSILON = 1e-7;

/**
 * Continuous-refill bucket, the default: capacity `limit`, refilled at `limit / periodMs`. Stored as
 * the time the bucket will be full again (GCRA's theoretical arrival time), so `available` is O(1).
 * This model fits all real header captures: `reset = (limit − remaining) · period / limit` (facts §4).
 */
export class TokenBucket implements Bucket {
  private fullAt = Number.NEGATIVE_INFINITY;
  private readonly msPerUnit: number;
  readonly limit: number;
  readonly periodMs: number;
  constructor(limit: number, periodMs: number) {
    this.limit = limit;
    this.periodMs = periodMs;
    this.msPerUnit = periodMs / limit;
  }
  available(nowMs: number): number {
    return this.limit - Math.max(0, this.fullAt - nowMs) / this.msPerUnit;
  }
  waitFor(nowMs: number, cost: number): number {
    const deficit = cost - this.available(nowMs);
    return deficit <= EPSILON ? 0 : deficit * this.msPerUnit;
  }
  admissibleIn(nowMs: number, cost: number): number {
    const deficit = cost - this.available(nowMs);
    return deficit <= EPSILON ? 0 : (deficit - EPSILON) * this.msPerUnit;
  }
  take(nowMs: number, cost: number): void {
    this.fullAt = Math.min(Math.max(this.fullAt, nowMs) + cost * this.msPerUnit, nowMs + this.periodMs);
  }
  resetMs(nowMs: number): number {
    const remaining = Math.floor(this.available(nowMs) + EPSILON);
    return ((this.limit - remaining) * this.periodMs) / this.limit;
  }
}

/** Calendar windows of `periodMs` (aligned to time 0); the count resets at each window's end. */
export class FixedWindow implements Bucket {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  readonly limit: number;
  readonly periodMs: number;
  constructor(limit: number, periodMs: number) {
    this.limit = limit;
    this.periodMs = periodMs;
  }
  private roll(nowMs: number): void {
    const start = Math.floor(nowMs / this.periodMs) * this.periodMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }
  available(nowMs: number): number {
    this.roll(nowMs);
    return this.limit - this.used;
  }
  waitFor(nowMs: number, cost: number): number {
    return this.available(nowMs) + EPSILON >= cost ? 0 : this.windowStart + this.periodMs - nowMs;
  }
  admissibleIn(nowMs: number, cost: number): number {
    return this.waitFor(nowMs, cost);
  }
  take(nowMs: number, cost: number): void {
    this.roll(nowMs);
    this.used = Math.min(this.limit, this.used + cost);
  }
  resetMs(nowMs: number): number {
    return this.available(nowMs) >= this.limit ? 0 : this.windowStart + this.periodMs - nowMs;
  }
}

/** Exact sliding log: what was taken in the last `periodMs` counts. Memory is bounded by the window. */
export class SlidingWindow implements Bucket {
  private times: number[] = [];
  private costs: number[] = [];
  private head = 0;
  private sum = 0;
  readonly limit: number;
  readonly periodMs: number;
  constructor(limit: number, periodMs: number) {
    this.limit = limit;
    this.periodMs = periodMs;
  }
  private prune(nowMs: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= nowMs - this.periodMs) {
      this.sum -= this.costs[this.head] as number;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
  }
  available(nowMs: number): number {
    this.prune(nowMs);
    return this.limit - this.sum;
  }
  waitFor(nowMs: number, cost: number): number {
    let free = this.available(nowMs);
    if (free + EPSILON >= cost) return 0;
    for (let i = this.head; i < this.times.length; i++) {
      free += this.costs[i] as number;
      if (free + EPSILON >= cost) return (this.times[i] as number) + this.periodMs - nowMs;
    }
    return this.periodMs;
  }
  admissibleIn(nowMs: number, cost: number): number {
    return this.waitFor(nowMs, cost);
  }
  take(nowMs: number, cost: number): void {
    const granted = Math.min(cost, Math.max(0, this.available(nowMs)));
    if (granted <= 0) return;
    this.times.push(nowMs);
    this.costs.push(granted);
    this.sum += granted;
  }
  resetMs(nowMs: number): number {
    this.prune(nowMs);
    const last = this.times[this.times.length - 1];
    return this.head >= this.times.length || last === undefined ? 0 : last + this.periodMs - nowMs;
  }
}

/** Creates a bucket of the given algorithm. */
export function createBucket(algorithm: LimiterAlgorithm, limit: number, periodMs: number): Bucket {
  switch (algorithm) {
    case 'token-bucket':
      return new TokenBucket(limit, periodMs);
    case 'fixed-window':
      return new FixedWindow(limit, periodMs);
    case 'sliding-window':
      return new SlidingWindow(limit, periodMs);
  }
}
