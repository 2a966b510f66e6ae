import type { Random } from '../core/random.ts';

/**
 * A distribution of durations. OpenAI publishes none for run or response latency (facts §8), so every
 * default built on these is an assumption and is configurable.
 */
export type Distribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Heavy right tail; `sigma` is the standard deviation of ln(duration). */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number; readonly maxMs?: number | undefined }
  /** Resampled uniformly from observed durations. */
  | { readonly kind: 'empirical'; readonly ms: readonly number[] };

/** Draws one duration. @unit milliseconds */
export function sample(distribution: Distribution, random: Random): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.ms;
    case 'uniform':
      return distribution.minMs + (distribution.maxMs - distribution.minMs) * random.next();
    case 'lognormal': {
      // Box–Muller; 1 - u keeps the log argument in (0, 1].
      const u = 1 - random.next();
      const v = random.next();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      const value = distribution.medianMs * Math.exp(distribution.sigma * z);
      return Math.min(value, distribution.maxMs ?? Number.POSITIVE_INFINITY);
    }
    case 'empirical': {
      const index = Math.floor(random.next() * distribution.ms.length);
      return distribution.ms[index] ?? 0;
    }
  }
}

/** Median of a distribution, used by pollers that want a prior on job duration. @unit milliseconds */
export function medianOf(distribution: Distribution): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.ms;
    case 'uniform':
      return (distribution.minMs + distribution.maxMs) / 2;
    case 'lognormal':
      return distribution.medianMs;
    case 'empirical': {
      const sorted = [...distribution.ms].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 0;
    }
  }
}
