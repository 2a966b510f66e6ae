import { formatHumanDuration, unitHint } from '../core/duration.ts';
import type { Random } from '../core/random.ts';

/**
 * A distribution of durations. OpenAI publishes none for run or response latency (facts §8), so every
 * default built on these is an assumption and is configurable.
 */
export type Distribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Heavy right tail; `sigma` is the standard deviation of ln(duration). */
  | {
      readonly kind: 'lognormal';
      readonly medianMs: number;
      readonly sigma: number;
      readonly maxMs?: number | undefined;
    }
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

/**
 * Parses a distribution written on a command line or in a scenario:
 * `8s` (fixed), `uniform:1s:5s`, `lognormal:8s:0.6` (median, sigma) or `lognormal:8s:0.6:5m` (capped at
 * 5 minutes), `empirical:2s,5s,9s`.
 * @throws Error with a message saying what was expected.
 */
export function parseDistribution(
  text: string,
  parseMs: (value: string) => number | undefined,
): Distribution {
  const fail = (hint = ''): never => {
    throw new Error(
      `expected a duration (8s), uniform:MIN:MAX, lognormal:MEDIAN:SIGMA[:MAX] or empirical:D1,D2,…; got '${text}'${hint}`,
    );
  };
  const ms = (value: string | undefined): number => {
    const parsed = value === undefined ? undefined : parseMs(value);
    return parsed === undefined || !Number.isFinite(parsed) || parsed < 0 ? fail(unitHint(value)) : parsed;
  };
  const [kind, ...rest] = text.split(':');
  switch (kind) {
    case 'uniform': {
      const [min, max] = [ms(rest[0]), ms(rest[1])];
      return rest.length === 2 && min <= max ? { kind: 'uniform', minMs: min, maxMs: max } : fail();
    }
    case 'lognormal': {
      const sigma = Number(rest[1]);
      if ((rest.length !== 2 && rest.length !== 3) || rest[1] === '' || !Number.isFinite(sigma) || sigma < 0)
        return fail();
      const medianMs = ms(rest[0]);
      if (rest.length === 2) return { kind: 'lognormal', medianMs, sigma };
      // A cap below the median is most likely the two written the wrong way round.
      const maxMs = ms(rest[2]);
      return maxMs >= medianMs ? { kind: 'lognormal', medianMs, sigma, maxMs } : fail();
    }
    case 'empirical': {
      const values = (rest[0] ?? '').split(',').filter((v) => v !== '');
      return rest.length === 1 && values.length > 0 ? { kind: 'empirical', ms: values.map(ms) } : fail();
    }
    default:
      return rest.length === 0 ? { kind: 'fixed', ms: ms(kind) } : fail();
  }
}

/**
 * Writes a distribution in the text {@link parseDistribution} reads (with `parseHumanDuration`), so
 * that reading it back gives an equal distribution: `8s`, `uniform:1s:5s`, `lognormal:8s:0.6:5m`.
 * @throws RangeError when a duration in it has no text (see `formatHumanDuration`)
 */
export function formatDistribution(distribution: Distribution): string {
  const d = formatHumanDuration;
  switch (distribution.kind) {
    case 'fixed':
      return d(distribution.ms);
    case 'uniform':
      return `uniform:${d(distribution.minMs)}:${d(distribution.maxMs)}`;
    case 'lognormal':
      return `lognormal:${d(distribution.medianMs)}:${distribution.sigma}${distribution.maxMs === undefined ? '' : `:${d(distribution.maxMs)}`}`;
    case 'empirical':
      return `empirical:${distribution.ms.map(d).join(',')}`;
  }
}
