import type { ResolvedLimits } from '../limits/resolve-model.ts';
import { DIMENSIONS, type Dimension, periodMs } from '../limits/types.ts';
import { type Bucket, createBucket, type LimiterAlgorithm } from './bucket.ts';

/** How the mock's limiter behaves. Each documented behaviour can be switched (facts §4). */
export interface LimiterOptions {
  /** @defaultValue `'token-bucket'` (continuous refill; fits every real capture). */
  readonly algorithm?: LimiterAlgorithm | undefined;
  /**
   * A rejected request still costs one request on the request dimensions ("unsuccessful requests
   * contribute to your per-minute limit", guide and cookbook). Tokens are not charged: real 429 bodies
   * show token budgets unchanged after a rejection (facts §3.1, `Used 26968`). @defaultValue true
   */
  readonly countFailedRequests?: boolean | undefined;
  /**
   * Also enforce each per-minute limit over shorter slices ("60,000 RPM may be enforced as 1,000/s",
   * help article 6891753). A slice allows `max(1, limit · quantumMs / 60 s)` units. @defaultValue false
   */
  readonly quantization?: false | { readonly quantumMs: number } | undefined;
}

/**
 * A quantization slice is shorter than the minute it divides: at 0 it would enforce nothing, and at a
 * minute or more it is the minute limit itself.
 */
export const QUANTUM_EXPECTED = 'expected a slice longer than 0 and shorter than 1m, such as 1s';

/** Whether `ms` is a quantization slice ({@link QUANTUM_EXPECTED}). */
export const isQuantum = (ms: number): boolean => ms > 0 && ms < 60_000;

/** What one request costs on each kind of dimension. */
export interface Costs {
  readonly requests: number;
  readonly tokens: number;
  readonly images: number;
}

/** Per-minute budget as the `x-ratelimit-*` headers show it. */
export interface BudgetSnapshot {
  readonly limit: number;
  /** Whole units left (`floor` of the bucket level). */
  readonly remaining: number;
  /** Until the bucket is full again. @unit milliseconds */
  readonly resetMs: number;
}

/** Budgets for the response headers: requests from RPM, tokens from TPM. */
export interface Budgets {
  readonly requests?: BudgetSnapshot | undefined;
  readonly tokens?: BudgetSnapshot | undefined;
}

/** The limiter's verdict: a value, not a throw. */
export type Admission =
  | { readonly kind: 'allow'; readonly budgets: Budgets }
  | {
      readonly kind: 'reject';
      readonly dimension: Dimension;
      readonly limit: number;
      /** `limit − level` after this request's own charge, as the 429 message's "Used". */
      readonly used: number;
      readonly requested: number;
      /** Exact time until this request would fit. @unit milliseconds */
      readonly waitMs: number;
      readonly budgets: Budgets;
    }
  | {
      readonly kind: 'too-large';
      readonly dimension: Dimension;
      readonly limit: number;
      readonly requested: number;
      readonly budgets: Budgets;
    };

interface Slot {
  readonly dimension: Dimension;
  readonly limit: number;
  readonly main: Bucket;
  readonly slice?: Bucket | undefined;
  readonly sliceLimit: number;
}

const COST_KIND: Readonly<Record<Dimension, keyof Costs>> = {
  rpm: 'requests',
  rpd: 'requests',
  tpm: 'tokens',
  tpd: 'tokens',
  ipm: 'images',
};

/**
 * OpenAI's limiter: one bucket per (scope, model group, dimension). A request is admitted only if every
 * dimension has room, and then every dimension is charged at once.
 */
export class RateLimiter {
  /** Scope, then limit group: nested rather than a joined key, which cost a string per request. */
  private readonly groups = new Map<string, Map<string, Slot[]>>();
  private readonly algorithm: LimiterAlgorithm;
  private readonly countFailed: boolean;
  private readonly quantumMs: number | undefined;

  constructor(options: LimiterOptions = {}) {
    this.algorithm = options.algorithm ?? 'token-bucket';
    this.countFailed = options.countFailedRequests ?? true;
    this.quantumMs = options.quantization ? options.quantization.quantumMs : undefined;
  }

  private slots(scope: string, resolved: ResolvedLimits): Slot[] {
    let scoped = this.groups.get(scope);
    if (scoped === undefined) {
      scoped = new Map();
      this.groups.set(scope, scoped);
    }
    let slots = scoped.get(resolved.group);
    if (slots === undefined) {
      slots = [];
      for (const dimension of DIMENSIONS) {
        const limit = resolved.limits[dimension];
        if (limit === undefined) continue;
        const period = periodMs(dimension);
        const sliced = this.quantumMs !== undefined && period === 60_000 && this.quantumMs < period;
        const sliceLimit = sliced ? Math.max(1, (limit * (this.quantumMs as number)) / period) : limit;
        slots.push({
          dimension,
          limit,
          main: createBucket(this.algorithm, limit, period),
          slice: sliced ? createBucket(this.algorithm, sliceLimit, this.quantumMs as number) : undefined,
          sliceLimit,
        });
      }
      scoped.set(resolved.group, slots);
    }
    return slots;
  }

  /**
   * Time until a request of these costs would be admitted, charging nothing (the oracle's view).
   * `Infinity` when it can never be (larger than a whole limit). @unit milliseconds
   */
  waitMs(nowMs: number, scope: string, resolved: ResolvedLimits, costs: Costs): number {
    const slots = this.slots(scope, resolved);
    if (slots.some((slot) => costs[COST_KIND[slot.dimension]] > slot.limit)) return Number.POSITIVE_INFINITY;
    return longestWait(nowMs, slots, costs, true).waitMs;
  }

  /** Decides on one request at `nowMs` and charges the buckets accordingly. */
  admit(nowMs: number, scope: string, resolved: ResolvedLimits, costs: Costs): Admission {
    const slots = this.slots(scope, resolved);
    for (const slot of slots) {
      const cost = costs[COST_KIND[slot.dimension]];
      if (cost > slot.limit) {
        this.chargeFailure(nowMs, slots);
        return {
          kind: 'too-large',
          dimension: slot.dimension,
          limit: slot.limit,
          requested: cost,
          budgets: snapshot(nowMs, slots),
        };
      }
    }
    if (longestWait(nowMs, slots, costs).waitMs > 0) {
      this.chargeFailure(nowMs, slots);
      const { slot, waitMs } = longestWait(nowMs, slots, costs);
      const chosen = slot as Slot;
      return {
        kind: 'reject',
        dimension: chosen.dimension,
        limit: chosen.limit,
        used: chosen.limit - chosen.main.available(nowMs),
        requested: costs[COST_KIND[chosen.dimension]],
        waitMs,
        budgets: snapshot(nowMs, slots),
      };
    }
    for (const slot of slots) {
      const cost = costs[COST_KIND[slot.dimension]];
      if (cost <= 0) continue;
      slot.main.take(nowMs, cost);
      slot.slice?.take(nowMs, Math.min(cost, slot.sliceLimit));
    }
    return { kind: 'allow', budgets: snapshot(nowMs, slots) };
  }

  private chargeFailure(nowMs: number, slots: Slot[]): void {
    if (!this.countFailed) return;
    for (const slot of slots) {
      if (COST_KIND[slot.dimension] !== 'requests') continue;
      slot.main.take(nowMs, 1);
      slot.slice?.take(nowMs, 1);
    }
  }
}

/** The longest wait over the slots; `admissible` uses the admission tolerance (the oracle's question). */
function longestWait(
  nowMs: number,
  slots: Slot[],
  costs: Costs,
  admissible = false,
): { slot: Slot | undefined; waitMs: number } {
  let best: Slot | undefined;
  let bestWait = 0;
  for (const slot of slots) {
    const cost = costs[COST_KIND[slot.dimension]];
    if (cost <= 0) continue;
    const of = (bucket: Bucket, units: number) =>
      admissible ? bucket.admissibleIn(nowMs, units) : bucket.waitFor(nowMs, units);
    let wait = of(slot.main, cost);
    if (slot.slice !== undefined) wait = Math.max(wait, of(slot.slice, Math.min(cost, slot.sliceLimit)));
    if (wait > bestWait) {
      best = slot;
      bestWait = wait;
    }
  }
  return { slot: best, waitMs: bestWait };
}

function budget(nowMs: number, slot: Slot | undefined): BudgetSnapshot | undefined {
  if (slot === undefined) return undefined;
  return {
    limit: slot.limit,
    remaining: Math.max(0, Math.floor(slot.main.available(nowMs) + 1e-7)),
    resetMs: slot.main.resetMs(nowMs),
  };
}

function snapshot(nowMs: number, slots: Slot[]): Budgets {
  return {
    requests: budget(
      nowMs,
      slots.find((s) => s.dimension === 'rpm'),
    ),
    tokens: budget(
      nowMs,
      slots.find((s) => s.dimension === 'tpm'),
    ),
  };
}
