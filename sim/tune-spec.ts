import { spreadByRatio, type TuneRange } from '../reports/tuning.ts';
import {
  formatMs,
  POLLERS,
  type PollerChoice,
  PollerSpecError,
  resolvePoller,
  splitPollerSpec,
} from '../src/pollers/registry.ts';

/** What `--tune NAME:key=LOW..HIGH,…` asks for: the range, and the poller's other parameters. */
export interface TuneTarget extends TuneRange {
  /** Every other parameter, as given or defaulted. */
  readonly rest: Readonly<Record<string, string | number | boolean>>;
}

/** Settings on the first, even grid: enough to find the region, few enough to stay quick. */
export const DEFAULT_GRID_POINTS = 8;
/** Rounds that halve the gaps beside the best setting and at the edge of the 429s; each tries at most four more. */
export const DEFAULT_REFINE_ROUNDS = 6;

/**
 * Parses `--tune`: a poller spec in which exactly one parameter is a range, `key=LOW..HIGH`
 * (`fixed:interval=1s..30s`, `backoff:base=500ms..10s,jitter=equal`). Both ends are checked as the
 * poller checks a value (its type, bounds and cross-parameter rules).
 * @throws {@link PollerSpecError} saying what was expected
 */
export function parseTuneSpec(spec: string): TuneTarget {
  const { name, values } = splitPollerSpec(spec);
  const where = `'${spec.trim()}'`;
  const expected = `expected one parameter as key=LOW..HIGH, e.g. fixed:interval=1s..30s; got ${where}`;
  const ranged = Object.keys(values).filter((key) => values[key]?.includes('..'));
  if (ranged.length !== 1)
    throw new PollerSpecError(ranged.length === 0 ? expected : `${expected} (one range only)`);
  const param = ranged[0] as string;
  const [from = '', to = '', ...more] = (values[param] as string).split('..');
  if (more.length > 0 || from.trim() === '' || to.trim() === '') throw new PollerSpecError(expected);
  const entry = POLLERS[name];
  const kind = entry?.params[param]?.kind;
  if (entry !== undefined && kind === 'enum') {
    const choices = (entry.params[param] as { values: readonly string[] }).values;
    throw new PollerSpecError(
      `${name}.${param} in ${where} takes one of ${choices.join(', ')}, not a range: compare them with one --poller each`,
    );
  }
  // Each end checked as the poller checks a value (type, bounds, rules across parameters).
  const atLow = resolvePoller(name, { ...values, [param]: from }, where).params;
  const low = atLow[param] as number;
  const high = resolvePoller(name, { ...values, [param]: to }, where).params[param] as number;
  if (!(low < high))
    throw new PollerSpecError(
      `${name}.${param} in ${where}: the range must run upwards, from LOW to a larger HIGH`,
    );
  const { [param]: _tuned, ...rest } = atLow;
  return { spec: spec.trim(), poller: name, param, kind: kind as TuneTarget['kind'], low, high, rest };
}

/**
 * A value as the tuner tries it: two significant figures (a 3.1 s interval and a 3.15 s one differ by
 * less than the spread between seeds), whole milliseconds for a duration, whole numbers for an integer.
 */
export function roundSetting(kind: TuneTarget['kind'], value: number): number {
  if (value <= 0) return 0;
  const two = Number(value.toPrecision(2));
  return kind === 'number' ? two : Math.max(1, Math.round(two));
}

/**
 * The first settings tried: `points` from `low` to `high`, both included, rounded and without repeats.
 * Spaced evenly in ratio (1s, 1.6s, 2.6s, …) when the range spans more than a factor of 2 and starts
 * above zero, since a poller's behaviour changes with the ratio of its settings; evenly otherwise.
 */
export function tuneGrid(target: TuneTarget, points = DEFAULT_GRID_POINTS): number[] {
  const { low, high, kind } = target;
  const geometric = spreadByRatio(target);
  const values = Array.from({ length: points }, (_, i) => {
    const t = points === 1 ? 0 : i / (points - 1);
    return i === 0
      ? low
      : i === points - 1
        ? high
        : geometric
          ? low * (high / low) ** t
          : low + (high - low) * t;
  });
  // The ends as given, though they may have more figures than the rounding keeps.
  const rounded = values.map((v, i) => (i === 0 || i === points - 1 ? v : roundSetting(kind, v)));
  return [...new Set(rounded.filter((v) => v >= low && v <= high))].sort((a, b) => a - b);
}

/**
 * The next settings to try around `best`: the midpoint (rounded) of each gap between it and the nearest
 * setting already tried on either side, unless it rounds onto one already tried. Empty when the gaps are
 * as fine as the rounding allows.
 */
export function refineAround(kind: TuneTarget['kind'], tried: readonly number[], best: number): number[] {
  const sorted = [...new Set(tried)].sort((a, b) => a - b);
  const index = sorted.indexOf(best);
  const next: number[] = [];
  for (const neighbour of [sorted[index - 1], sorted[index + 1]]) {
    if (neighbour === undefined) continue;
    const mid = roundSetting(kind, (best + neighbour) / 2);
    if (mid > Math.min(best, neighbour) && mid < Math.max(best, neighbour) && !sorted.includes(mid))
      next.push(mid);
  }
  return next;
}

/**
 * The next settings to try at the edge of the unsafe ones (a 429 or a lost job on some seed): on each
 * side of `best`, the midpoint (rounded) of the gap between the unsafe setting nearest to it and that
 * setting's neighbour toward it, unless that gap is beside `best` ({@link refineAround} halves those) or
 * rounds onto a setting already tried. A poller is often fastest just short of where 429s begin (the
 * shortest interval the limit allows), so the edge is searched as the best is.
 */
export function refineEdges(
  kind: TuneTarget['kind'],
  tried: readonly number[],
  best: number,
  unsafe: ReadonlySet<number>,
): number[] {
  const sorted = [...new Set(tried)].sort((a, b) => a - b);
  const index = sorted.indexOf(best);
  const next: number[] = [];
  for (const step of [-1, 1]) {
    let edge = index + step;
    while (edge >= 0 && edge < sorted.length && !unsafe.has(sorted[edge] as number)) edge += step;
    const outer = sorted[edge];
    const inner = sorted[edge - step];
    if (outer === undefined || inner === undefined || inner === best) continue;
    const mid = roundSetting(kind, (outer + inner) / 2);
    if (mid > Math.min(outer, inner) && mid < Math.max(outer, inner) && !sorted.includes(mid)) next.push(mid);
  }
  return next;
}

/** The poller choice for one setting of the tuned parameter. */
export function settingChoice(target: TuneTarget, value: number): PollerChoice {
  return resolvePoller(target.poller, { ...target.rest, [target.param]: value }, `'${target.spec}'`);
}

/** A setting as people read it: `3s`, `2700ms`, `0.25`, `120`. */
export function formatSetting(kind: TuneTarget['kind'], value: number): string {
  return kind === 'duration' ? formatMs(value) : String(value);
}
