import type { Random } from '../core/random.ts';

/** Jitter variants of Brooker's "Exponential Backoff And Jitter" (AWS, 2015; strategy-anchors §1.1). */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/** Backoff parameters. All durations in milliseconds. */
export interface BackoffShape {
  readonly baseMs: number;
  readonly factor: number;
  readonly capMs: number;
  readonly jitter: Jitter;
}

/**
 * The delay before attempt `n` (0-based) of a sequence:
 * - none: `v = min(cap, base·factor^n)`
 * - full: `U(0, v)`
 * - equal: `v/2 + U(0, v/2)`
 * - decorrelated: `min(cap, U(base, 3·previous))`, previous₀ = base
 * @param previousMs - the previous delay of this sequence (decorrelated only)
 */
export function backoffDelay(shape: BackoffShape, n: number, previousMs: number, random: Random): number {
  const v = Math.min(shape.capMs, shape.baseMs * shape.factor ** n);
  switch (shape.jitter) {
    case 'none':
      return v;
    case 'full':
      return random.next() * v;
    case 'equal':
      return v / 2 + random.next() * (v / 2);
    case 'decorrelated': {
      const upper = 3 * Math.max(previousMs, shape.baseMs);
      return Math.min(shape.capMs, shape.baseMs + random.next() * (upper - shape.baseMs));
    }
  }
}
