import {
  parametersInWords,
  rangesInWords,
  spreadByRatio,
  type TuneAxis,
  type TuneRange,
  tuneAxes,
} from '../reports/tuning.ts';
import {
  POLLERS,
  type PollerChoice,
  PollerSpecError,
  resolvePoller,
  splitPollerSpec,
} from '../src/pollers/registry.ts';

/** What `--tune NAME:key=LOW..HIGH,…` asks for: one range, two or three, and the poller's other parameters. */
export interface TuneTarget extends TuneRange {
  /** Every other parameter, as given or defaulted. */
  readonly rest: Readonly<Record<string, string | number | boolean>>;
}

/** A setting of a tune: the first parameter's value, then the second's and the third's when tuned. */
export type TunePoint = readonly number[];

/** Settings on the first, even grid: enough to find the region, few enough to stay quick. */
export const DEFAULT_GRID_POINTS = 8;
/** Settings a side of the first grid with two parameters: 8 × 8 = 64, the most `--tune-grid` allows. */
export const DEFAULT_GRID_POINTS_2D = 8;
/**
 * Settings a side of the first grid with three parameters: 6 × 6 × 6 = 216. Fewer miss a ridge across
 * two of them: on the seed program, `fixed:interval=1s..60s,gap=0s..60s,retries=0..2` finds 31 s + 27 s
 * (0.98) at 6 a side, as the two-parameter search does at 8, but 33 s + 25 s (0.97) at 5 and 1 m + 0 s
 * (0.90) at 4.
 */
export const DEFAULT_GRID_POINTS_3D = 6;
/**
 * The largest grid for one range, two and three (a side of it with two or three): each setting is a
 * simulation of every seed. 64 settings with one or two; 8 a side (512) with three, whose default is
 * already 6 a side (216).
 */
export const MAX_GRID_SIDE = [64, 8, 8] as const;

/**
 * What is wrong with `points` settings on a first grid over `axes` (`--tune-grid`, a scenario's
 * `tuneGrid`), in words, or undefined when nothing is: below 2, or above {@link MAX_GRID_SIDE}. With
 * several parameters `points` is a side of the grid over each range; named values add every value.
 */
export function tuneGridProblem(
  points: number,
  axes: readonly Pick<TuneAxis, 'kind' | 'values'>[],
): string | undefined {
  if (!Number.isInteger(points) || points < 2) return `expected an integer ≥ 2; got ${points}`;
  const most = MAX_GRID_SIDE[axes.length - 1] ?? 2;
  if (points <= most) return undefined;
  const lists = axes.filter((axis) => axis.kind === 'enum');
  const ranges = axes.length - lists.length;
  const settings = most ** ranges * lists.reduce((n, axis) => n * (axis.values?.length ?? 1), 1);
  if (axes.length === 1) return `at most ${most} settings, each run on every seed; got ${points}`;
  return lists.length === 0
    ? `with ${rangesInWords(ranges)} it is a side of the grid, at most ${most} (${settings} settings, each run on every seed); got ${points}`
    : `with ${parametersInWords(axes.length)} it is a side of the grid over ${ranges === 1 ? 'the range' : 'each range'}, at most ${most} (${settings} settings with every named value, each run on every seed); got ${points}`;
}

/** The seeds a search runs over when none are given (`--tune` without `--seeds`, a file's `tune` without `seeds`). */
export const DEFAULT_TUNE_SEEDS: readonly number[] = Array.from({ length: 10 }, (_, i) => i + 1);

/** The first held-out seed that is also searched (a held-out check must be on seeds the search never saw). */
export function searchedHeldOut(seeds: readonly number[], heldOut: readonly number[]): number | undefined {
  return heldOut.find((seed) => seeds.includes(seed));
}

/** Most ranges one `--tune` searches together. */
export const MAX_TUNED_PARAMS = 3;
/** Rounds that halve the gaps beside the best setting and at the edge of the 429s; each tries at most four more. */
export const DEFAULT_REFINE_ROUNDS = 6;

export { tuneAxes };

/** A list of named values in a `--tune` spec: `jitter=full|equal`, or `jitter=*` for every one. */
const LIST_SEPARATOR = '|';
const EVERY_VALUE = '*';

/**
 * Parses `--tune`: a poller spec in which one parameter, two or three, is a range, `key=LOW..HIGH`
 * (`fixed:interval=1s..30s`, `backoff:base=500ms..10s,jitter=equal`, `fixed:interval=1s..60s,gap=0s..60s`,
 * `backoff:base=500ms..10s,factor=1.5..3,cap=10s..2m`), and the poller's other parameters. Beside a range,
 * a parameter with named values may be a list of them, `key=A|B` or `key=*` for all
 * (`backoff:base=500ms..10s,jitter=full|equal`): every one is searched, and such parameters come after
 * the ranges. Each end and each value is checked as the poller checks a value (its type, bounds and
 * cross-parameter rules); with more than one parameter, each combination of ends and values.
 * @throws {@link PollerSpecError} saying what was expected
 */
export function parseTuneSpec(spec: string): TuneTarget {
  const { name, values } = splitPollerSpec(spec);
  const where = `'${spec.trim()}'`;
  const expected = `expected one, two or three parameters as key=LOW..HIGH, e.g. fixed:interval=1s..30s; got ${where}`;
  const entry = POLLERS[name];
  const named = (param: string) => {
    const spec = entry?.params[param];
    return spec?.kind === 'enum' ? spec.values : undefined;
  };
  const isList = (param: string) => {
    const value = (values[param] as string).trim();
    return value === EVERY_VALUE || value.includes(LIST_SEPARATOR);
  };
  const keys = Object.keys(values);
  const ranged = keys.filter((key) => values[key]?.includes('..'));
  // A list for a parameter the poller does not have is left to the poller to refuse by name.
  const listed = keys.filter((key) => !ranged.includes(key) && isList(key) && named(key) !== undefined);
  for (const param of keys.filter((key) => !ranged.includes(key) && isList(key)))
    if (entry?.params[param] !== undefined && named(param) === undefined)
      throw new PollerSpecError(
        `${name}.${param} in ${where} takes a range, ${param}=LOW..HIGH, not a list: a list (${param}=A|B) is for a parameter with named values`,
      );
  if (ranged.length === 0 && listed.length > 0 && entry !== undefined)
    throw new PollerSpecError(
      `${listed.map((param) => `${name}.${param}`).join(' and ')} in ${where}: named values are searched beside a range (e.g. backoff:base=500ms..10s,jitter=full|equal); to compare them alone, give one --poller each`,
    );
  const tuned = ranged.length + listed.length;
  if (ranged.length === 0 || tuned > MAX_TUNED_PARAMS)
    throw new PollerSpecError(
      ranged.length === 0
        ? expected
        : `${expected} (${listed.length === 0 ? rangesInWords(MAX_TUNED_PARAMS) : `${parametersInWords(MAX_TUNED_PARAMS)}, ranges and lists together,`} at most)`,
    );
  const ends = ranged.map((param) => {
    const [from = '', to = '', ...more] = (values[param] as string).split('..');
    if (more.length > 0 || from.trim() === '' || to.trim() === '') throw new PollerSpecError(expected);
    const kind = entry?.params[param]?.kind;
    const choices = named(param);
    if (choices !== undefined)
      throw new PollerSpecError(
        `${name}.${param} in ${where} takes one of ${choices.join(', ')}, not a range: search several beside a range as ${param}=${choices.slice(0, 2).join(LIST_SEPARATOR)} (quoted in a shell), or all as ${param}=${EVERY_VALUE}`,
      );
    return { param, kind: kind as TuneAxis['kind'], options: [from, to] };
  });
  const lists = listed.map((param) => {
    const all = named(param) ?? [];
    const raw = (values[param] as string).trim();
    const options = raw === EVERY_VALUE ? [...all] : raw.split(LIST_SEPARATOR).map((v) => v.trim());
    if (options.some((v) => v === ''))
      throw new PollerSpecError(
        `${name}.${param} in ${where}: expected values of ${all.join(', ')} separated by ${LIST_SEPARATOR}, or ${EVERY_VALUE} for all; got '${raw}'`,
      );
    const twice = options.find((v, i) => options.indexOf(v) !== i);
    if (twice !== undefined)
      throw new PollerSpecError(`${name}.${param} in ${where}: '${twice}' is listed twice`);
    return { param, kind: 'enum' as const, options };
  });
  const params = [...ends, ...lists];
  // Each combination checked as the poller checks a value (type, bounds, rules across parameters): the
  // first with every low end and first value, the second with every high end, then the others.
  const corner = (pick: readonly number[]) => {
    const at = params.map((p, i) => [p.param, p.options[pick[i] as number] as string] as const);
    try {
      return resolvePoller(name, { ...values, ...Object.fromEntries(at) }, where).params;
    } catch (error) {
      // A value wrong in itself (an unknown name, a bad duration) is wrong at every corner: no hint.
      if (!(error instanceof PollerSpecError) || !error.acrossParams || params.length === 1) throw error;
      const corner = at.map(([param, value]) => `${param}=${value.trim()}`).join(' with ');
      throw new PollerSpecError(
        `${error.message} (every ${params.length === 2 ? 'pair' : 'combination'} of the ${lists.length === 0 ? rangesInWords(params.length) : parametersInWords(params.length)} is tried, ${corner} among them: narrow a range)`,
      );
    }
  };
  const all = params.reduce<number[][]>(
    (partial, p) => partial.flatMap((c) => p.options.map((_, i) => [...c, i])),
    [[]],
  );
  const low = params.map(() => 0);
  const high = params.map((p) => (p.kind === 'enum' ? 0 : 1));
  const others = all.filter((c) => pointKey(c) !== pointKey(low) && pointKey(c) !== pointKey(high));
  const [atLow, atHigh] = [low, high, ...others].map(corner);
  const axes = params.map(({ param, kind, options }): TuneAxis => {
    if (kind === 'enum') return { param, kind, low: 0, high: options.length - 1, values: options };
    const low = (atLow as Record<string, unknown>)[param] as number;
    const high = (atHigh as Record<string, unknown>)[param] as number;
    if (!(low < high))
      throw new PollerSpecError(
        `${name}.${param} in ${where}: the range must run upwards, from LOW to a larger HIGH`,
      );
    return { param, kind, low, high };
  });
  const tunedKeys = params.map((p) => p.param);
  const rest = Object.fromEntries(
    Object.entries(atLow as Record<string, string | number | boolean>).filter(
      ([key]) => !tunedKeys.includes(key),
    ),
  );
  const [first, second, third] = axes as [TuneAxis, TuneAxis | undefined, TuneAxis | undefined];
  return {
    spec: spec.trim(),
    poller: name,
    ...first,
    ...(second === undefined ? {} : { second }),
    ...(third === undefined ? {} : { third }),
    rest,
  };
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
 * The first settings tried: `points` from `low` to `high`, both included, rounded and without repeats;
 * for named values, every one (its index).
 * Spaced evenly in ratio (1s, 1.6s, 2.6s, …) when the range spans more than a factor of 2 and starts
 * above zero, since a poller's behaviour changes with the ratio of its settings; evenly otherwise.
 */
export function tuneGrid(axis: TuneAxis, points = DEFAULT_GRID_POINTS): number[] {
  const { low, high, kind } = axis;
  // Named values have nothing between them to spread over: every one listed is on the grid.
  if (kind === 'enum') return Array.from({ length: high + 1 }, (_, i) => i);
  const geometric = spreadByRatio(axis);
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
 * setting already tried on either side, unless it rounds onto one already tried, or `best` and that
 * neighbour ran the same on every seed (`ranSame`): a setting between two that the parameter made no
 * difference to is unlikely to differ, and the round is better spent elsewhere. Empty when the gaps are
 * as fine as the rounding allows.
 */
export function refineAround(
  kind: TuneTarget['kind'],
  tried: readonly number[],
  best: number,
  ranSame: (neighbour: number) => boolean = () => false,
): number[] {
  const sorted = [...new Set(tried)].sort((a, b) => a - b);
  const index = sorted.indexOf(best);
  const next: number[] = [];
  for (const neighbour of [sorted[index - 1], sorted[index + 1]]) {
    if (neighbour === undefined || ranSame(neighbour)) continue;
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

/**
 * The first settings of a tune: {@link tuneGrid} over its one range, or every combination of the
 * parameters' grids (`points` a side for a range, every value for named ones), by the first parameter's
 * value, then the second's, then the third's. The default side follows how many parameters are tuned.
 */
export function tuneGridPoints(range: TuneRange, points?: number): TunePoint[] {
  const axes = tuneAxes(range);
  const side = points ?? defaultGridSide(axes.length);
  return axes
    .map((axis) => tuneGrid(axis, side))
    .reduce<TunePoint[]>((partial, grid) => partial.flatMap((point) => grid.map((v) => [...point, v])), [[]]);
}

/** The default side of a first grid over `count` parameters (1, 2 or 3): 8, 8, 6. */
function defaultGridSide(count: number): number {
  return count === 1 ? DEFAULT_GRID_POINTS : count === 2 ? DEFAULT_GRID_POINTS_2D : DEFAULT_GRID_POINTS_3D;
}

/** A setting as a key: its values, comma-separated. */
export function pointKey(point: TunePoint): string {
  return point.join(',');
}

/**
 * The next settings to try, one parameter at a time with the others held at `best`'s (a pattern
 * search). Along each range, on the line of settings through `best`: {@link refineAround} and
 * {@link refineEdges} (not the edges when `best` is itself unsafe). With more parameters, a line through
 * a best found by refining holds little yet: it first gets the values next to `best`'s among every
 * value of that parameter tried, and is halved in later rounds. Along named values, every value not yet
 * tried with `best`'s others. With one parameter this is exactly refineAround and refineEdges.
 * @param unsafe the keys ({@link pointKey}) of the settings that got a 429 or lost a job on some seed
 * @param ranSame whether two settings tried ran the same on every seed (see {@link refineAround})
 */
export function refinePoints(
  axes: readonly TuneAxis[],
  tried: readonly TunePoint[],
  best: TunePoint,
  unsafe: ReadonlySet<string>,
  ranSame: (a: TunePoint, b: TunePoint) => boolean = () => false,
): TunePoint[] {
  const seen = new Set(tried.map(pointKey));
  const next = new Map<string, TunePoint>();
  axes.forEach((axis, k) => {
    const onLine = tried.filter((p) => p.every((v, i) => i === k || v === best[i]));
    const line = onLine.map((p) => p[k] as number);
    const value = best[k] as number;
    const ticks = [...new Set(tried.map((p) => p[k] as number))].sort((a, b) => a - b);
    const at = ticks.indexOf(value);
    // Named values have no order and nothing between them: every one not yet tried with `best`'s others.
    const fill =
      axis.kind === 'enum'
        ? tuneGrid(axis).filter((v) => !line.includes(v))
        : [ticks[at - 1], ticks[at + 1]].filter((v): v is number => v !== undefined && !line.includes(v));
    const lineUnsafe = new Set(onLine.filter((p) => unsafe.has(pointKey(p))).map((p) => p[k] as number));
    const values =
      fill.length > 0 || axis.kind === 'enum'
        ? fill
        : [
            ...refineAround(axis.kind, line, value, (v) =>
              ranSame(
                best,
                best.map((b, i) => (i === k ? v : b)),
              ),
            ),
            ...(unsafe.has(pointKey(best)) ? [] : refineEdges(axis.kind, line, value, lineUnsafe)),
          ];
    for (const v of values) {
      const point = best.map((b, i) => (i === k ? v : b));
      const key = pointKey(point);
      if (!seen.has(key)) next.set(key, point);
    }
  });
  return [...next.values()];
}

/** Local bests the refining rounds start from when two or three parameters are tuned: the landscape has several. */
export const REFINE_STARTS_2D = 3;

/**
 * The settings the next round refines around: of `ranked` (best first), the first `count` that no
 * setting next to them ranks above, next meaning nearest along one parameter with the others equal (any
 * other value of a parameter with named values, `axes` saying which those are).
 * A pattern search from the best alone stops at the nearest local best, and with two parameters there
 * are often several (the seed program's: a long interval with no gap, a shorter one with a gap). With `count` 1 the best.
 */
export function localBests(
  tried: readonly TunePoint[],
  ranked: readonly TunePoint[],
  count: number,
  axes: readonly Pick<TuneAxis, 'kind'>[] = [],
): TunePoint[] {
  const rank = new Map(ranked.map((point, i) => [pointKey(point), i]));
  const starts: TunePoint[] = [];
  for (const point of ranked) {
    if (starts.length >= count) break;
    const own = rank.get(pointKey(point)) as number;
    const beaten = point.some((value, k) => {
      const line = tried
        .filter((p) => p.every((v, i) => i === k || v === point[i]))
        .map((p) => p[k] as number);
      const below = Math.max(...line.filter((v) => v < value));
      const above = Math.min(...line.filter((v) => v > value));
      // Every other named value is next to a named value.
      const next = axes[k]?.kind === 'enum' ? line.filter((v) => v !== value) : [below, above];
      return next.some((v) => {
        const neighbour = rank.get(pointKey(point.map((p, i) => (i === k ? v : p))));
        return neighbour !== undefined && neighbour < own;
      });
    });
    if (!beaten) starts.push(point);
  }
  return starts;
}

/**
 * The values a poller's parameter can take at all (a duration from 0, a number within its bounds): a best
 * setting at one of these is at the end of what can be tried, not of a range that could be wider.
 */
export function paramLimits(poller: string, param: string): { min: number; max: number } {
  const spec = POLLERS[poller]?.params[param];
  if (spec?.kind === 'duration') return { min: 0, max: Number.POSITIVE_INFINITY };
  if (spec?.kind === 'number') return { min: spec.min, max: spec.max };
  if (spec?.kind === 'int') return { min: spec.min, max: Number.POSITIVE_INFINITY };
  return { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
}

/** The poller choice for one setting: the tuned parameters at `point`'s values, the rest as given. */
export function settingChoice(target: TuneTarget, point: TunePoint): PollerChoice {
  const values = Object.fromEntries(
    tuneAxes(target).map((axis, i) => {
      const value = point[i] as number;
      return [axis.param, axis.kind === 'enum' ? (axis.values?.[value] as string) : value];
    }),
  );
  return resolvePoller(target.poller, { ...target.rest, ...values }, `'${target.spec}'`);
}

/**
 * Walks along the edge of the 429s a search over two or three parameters makes before it stops, and
 * the multiples of {@link edgeDirection} each tries (both ways). The rounds move one parameter at a time,
 * and where the fastest safe settings lie on a line across two (the seed program's interval + gap ≥
 * 58 s), each move alone either gets 429s or slows down: they stop where the grid first met that line.
 * At `--tune-grid 5` they stopped at 22 s + 37 s (0.96) where 31 s + 27 s gives 0.98. The steps double,
 * all tried in one round, because the line is long and not smooth (23 s + 36 s does worse than both its
 * neighbours on it).
 */
export const EDGE_WALKS = 2;
const EDGE_STEPS = [1, 2, 4, 8, 16, 32];

/**
 * The direction along the edge of the 429s at `from`, in the plane of two of its parameters (`pair`,
 * by index): where `from` is safe and each of the two, moved alone along `from`'s line, meets an unsafe
 * setting tried (at signed distance `s0` along the first, `s1` along the second), the edge passes near
 * both, so it runs along `(−s0, s1)`, the other parameters held. Moving along it keeps `from`'s margin
 * while trading one parameter for the other. Undefined with one parameter, or when either line meets no
 * unsafe setting.
 * @param unsafe the keys ({@link pointKey}) of the settings that got a 429 or lost a job on some seed
 * @param pair the two parameters' indices @defaultValue `[0, 1]`
 */
export function edgeDirection(
  tried: readonly TunePoint[],
  from: TunePoint,
  unsafe: ReadonlySet<string>,
  pair: readonly [number, number] = [0, 1],
): TunePoint | undefined {
  if (from.length < 2 || unsafe.has(pointKey(from))) return undefined;
  const [s0, s1] = pair.map((k) => {
    const value = from[k] as number;
    const offsets = tried
      .filter((p) => unsafe.has(pointKey(p)) && p.every((v, i) => i === k || v === from[i]))
      .map((p) => (p[k] as number) - value);
    return offsets.length === 0 ? undefined : offsets.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a));
  });
  if (s0 === undefined || s1 === undefined) return undefined;
  return from.map((_, k) => (k === pair[0] ? -s0 : k === pair[1] ? s1 : 0));
}

/**
 * The settings a walk along the edge tries from `from`: for each pair of parameters in turn (the one
 * pair of two, three pairs of three), `from` moved 1, 2, 4, … 32 times {@link edgeDirection} in their
 * plane either way, rounded as the tuner rounds, within the ranges, without repeats or settings already
 * tried. Empty where there is no edge to walk.
 */
export function edgePoints(
  axes: readonly TuneAxis[],
  tried: readonly TunePoint[],
  from: TunePoint,
  unsafe: ReadonlySet<string>,
): TunePoint[] {
  const seen = new Set(tried.map(pointKey));
  const next = new Map<string, TunePoint>();
  // Named values have no direction to walk in.
  const ranges = axes.flatMap((axis, k) => (axis.kind === 'enum' ? [] : [k]));
  const pairs = ranges.flatMap((k) => ranges.flatMap((l) => (l > k ? [[k, l] as const] : [])));
  for (const pair of pairs) {
    const direction = edgeDirection(tried, from, unsafe, pair);
    if (direction === undefined) continue;
    for (const t of EDGE_STEPS.flatMap((step) => [step, -step])) {
      const point = from.map((value, k) =>
        roundSetting((axes[k] as TuneAxis).kind, value + t * (direction[k] as number)),
      );
      const inside = point.every((v, k) => v >= (axes[k] as TuneAxis).low && v <= (axes[k] as TuneAxis).high);
      if (inside && !seen.has(pointKey(point))) next.set(pointKey(point), point);
    }
  }
  return [...next.values()];
}
