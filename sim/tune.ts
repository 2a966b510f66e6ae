import { type PollerAcrossSeeds, summarizeSeeds } from '../reports/seeds-summary.ts';
import type { PollerSummary, Summary } from '../reports/summary.ts';
import {
  sameRuns,
  spreadByRatio,
  type TriedSetting,
  type TuneAxis,
  type TunedSummary,
  type Tuning,
  unsafe,
} from '../reports/tuning.ts';
import { bestAcrossSeeds, rankAcrossSeeds } from '../reports/verdict.ts';
import { formatPollerChoice, type PollerChoice } from '../src/pollers/registry.ts';
import type { SimulationConfig } from './engine.ts';
import { type SeedStudyOptions, SeedThreads } from './seed-study.ts';
import {
  DEFAULT_REFINE_ROUNDS,
  EDGE_WALKS,
  edgePoints,
  localBests,
  paramLimits,
  pointKey,
  REFINE_STARTS_2D,
  refinePoints,
  searchedHeldOut,
  settingChoice,
  type TunePoint,
  type TuneTarget,
  tuneAxes,
  tuneGrid,
  tuneGridPoints,
} from './tune-spec.ts';

/** Options of {@link tunePoller}: those of a seed study, and how far to search. */
export interface TuneOptions extends Omit<SeedStudyOptions, 'onProgress'> {
  /**
   * Settings on the first grid over the range; a side of it, with two or three ranges.
   * @defaultValue {@link DEFAULT_GRID_POINTS}, or a side of {@link DEFAULT_GRID_POINTS_2D} with two
   *   ranges and of {@link DEFAULT_GRID_POINTS_3D} with three
   */
  readonly gridPoints?: number | undefined;
  /**
   * Rounds that halve the gaps beside the best and at the edge of the 429s; with two or three
   * parameters, as many again after each walk along that edge. @defaultValue {@link DEFAULT_REFINE_ROUNDS}
   */
  readonly refineRounds?: number | undefined;
  /**
   * Seeds the search never sees, on which the best setting is run once more: a setting chosen on some
   * seeds looks its best on those. `[]` for none. @defaultValue as many seeds as searched, following the
   * largest of them
   */
  readonly heldOutSeeds?: readonly number[] | undefined;
  /** Called as each study progresses: which step (`grid`, `round 2`, `held-out`), seeds done, total. */
  readonly onProgress?: ((step: string, done: number, total: number) => void) | undefined;
}

/**
 * Searches one numeric parameter of a poller, two or three, for the setting that finishes soonest without
 * a 429 over `seeds`. First a grid over the range, or over all ({@link tuneGridPoints}), then rounds that
 * try, one parameter at a time, the midpoints of the gaps beside the best setting so far and of the gap
 * at the edge of the settings that got 429s ({@link refinePoints}), until the rounding leaves none or
 * the rounds run out; settings that ran the same on every seed are not halved between. With two or
 * three parameters, a walk along the edge of the 429s ({@link edgePoints}) and more rounds follow, up to
 * {@link EDGE_WALKS} times; with `refineRounds` 0, neither. Settings are ranked as the line under a
 * seeds table ranks pollers ({@link bestAcrossSeeds}). Every setting runs on the same seeds, so on the
 * same jobs. `config.pollers` run beside the first grid as references (the oracle always does). The best
 * setting then runs on the held-out seeds.
 * @returns the study's across-seeds document, one row per setting tried (by value, the first
 *   parameter's first), then the references and the oracle, with {@link Tuning} in `tuning`
 * @throws RangeError when there are no seeds, `gridPoints` is not an integer ≥ 2, `refineRounds` not one
 *   ≥ 0, or a held-out seed is among `seeds`; otherwise as `studySeeds` does
 */
export async function tunePoller(
  config: SimulationConfig,
  target: TuneTarget,
  seeds: readonly number[],
  options: TuneOptions = {},
): Promise<TunedSummary> {
  const { gridPoints, refineRounds, heldOutSeeds, onProgress, ...studyOptions } = options;
  const problem = tuneOptionsProblem(seeds, options);
  if (problem !== undefined) throw new RangeError(`tunePoller: ${problem}`);
  // One set of threads for every round: a worker started for the grid runs the rounds warm.
  const threads = new SeedThreads(config, studyOptions);
  try {
    return await search(config, target, seeds, threads, options);
  } finally {
    await threads.close();
  }
}

/** What is wrong with a search's seeds and options, if anything (the command checks its flags alike). */
function tuneOptionsProblem(seeds: readonly number[], options: TuneOptions): string | undefined {
  if (seeds.length === 0) return 'no seeds to search over';
  const { gridPoints, refineRounds, heldOutSeeds } = options;
  if (gridPoints !== undefined && !(Number.isInteger(gridPoints) && gridPoints >= 2))
    return `gridPoints: expected an integer ≥ 2; got ${gridPoints}`;
  if (refineRounds !== undefined && !(Number.isInteger(refineRounds) && refineRounds >= 0))
    return `refineRounds: expected an integer ≥ 0; got ${refineRounds}`;
  const seen = searchedHeldOut(seeds, heldOutSeeds ?? []);
  if (seen !== undefined) return `heldOutSeeds: seed ${seen} is searched too; held-out seeds must be others`;
  return undefined;
}

/** {@link tunePoller}'s search, on `threads`. */
async function search(
  config: SimulationConfig,
  target: TuneTarget,
  seeds: readonly number[],
  threads: SeedThreads,
  { gridPoints, refineRounds, heldOutSeeds, onProgress }: TuneOptions,
): Promise<TunedSummary> {
  const axes = tuneAxes(target);
  const shown = axes.map((axis) => axis.param);
  const references = config.pollers.filter((p) => p.name !== 'oracle');
  /**
   * Per setting (by {@link pointKey}): its values, its choice, the round that tried it, and its summary
   * per seed (in the seeds' order).
   */
  const settings = new Map<
    string,
    { point: TunePoint; choice: PollerChoice; round: number; alongEdge: boolean; runs: PollerSummary[] }
  >();
  let referenceRuns: PollerSummary[][] = [];
  let oracleRuns: PollerSummary[] = [];
  const study = async (step: string, choices: readonly PollerChoice[], on: readonly number[]) => {
    onProgress?.(step, 0, on.length);
    const { summaries } = await threads.study(on, {
      pollers: choices,
      onProgress: onProgress === undefined ? undefined : (done, total) => onProgress(step, done, total),
    });
    return summaries;
  };
  const run = async (round: number, points: readonly TunePoint[], alongEdge = false) => {
    const choices = points.map((point) => settingChoice(target, point));
    const withReferences = round === 0 ? [...choices, ...references] : choices;
    const summaries = await study(round === 0 ? 'grid' : `round ${round}`, withReferences, seeds);
    const column = (i: number) => summaries.map((s) => s.pollers[i] as PollerSummary);
    points.forEach((point, i) => {
      const choice = choices[i] as PollerChoice;
      settings.set(pointKey(point), { point, choice, round, alongEdge, runs: column(i) });
    });
    if (round === 0) {
      referenceRuns = references.map((_, j) => column(choices.length + j));
      oracleRuns = summaries.map((s) => s.pollers.find((p) => p.name === 'oracle') as PollerSummary);
    }
    return summaries;
  };

  const [first] = await run(0, tuneGridPoints(target, gridPoints));
  if (first === undefined) throw new Error('tunePoller: the grid gave no summary');
  /** The study so far as one document: settings by value (the first parameter's first), references, oracle. */
  const document = () => {
    const sorted = [...settings.values()].sort((a, b) => comparePoints(a.point, b.point));
    const perSeed: Summary[] = seeds.map((seed, s) => ({
      ...first,
      seed,
      pollers: [
        ...sorted.map(({ choice, runs }) => ({
          ...(runs[s] as PollerSummary),
          // Every setting shows the tuned parameters, whatever the round it ran in alone.
          spec: formatPollerChoice(choice, { showMain: true, show: shown }),
        })),
        ...referenceRuns.map((runs) => runs[s] as PollerSummary),
        oracleRuns[s] as PollerSummary,
      ],
    }));
    const points = sorted.map(({ point }) => point);
    return { points, summary: summarizeSeeds(perSeed) };
  };
  const bestOf = (summary: ReturnType<typeof document>['summary'], count: number) =>
    bestAcrossSeeds({ pollers: summary.pollers.slice(0, count) });

  /** The settings tried so far, their rows, ranked best first, and the keys of the unsafe ones. */
  const standing = () => {
    const { points, summary } = document();
    const rows = summary.pollers.slice(0, points.length);
    const ranked = rankAcrossSeeds({ pollers: rows }).map((row) => points[rows.indexOf(row)] as TunePoint);
    const failed = new Set(points.filter((_, i) => unsafe(rows[i] as PollerAcrossSeeds)).map(pointKey));
    const rowAt = new Map(points.map((point, i) => [pointKey(point), rows[i] as PollerAcrossSeeds]));
    return { points, rows, ranked, failed, rowAt };
  };
  /** The settings of the next round: around the local bests, and `walked`, one parameter at a time. */
  const nextRound = (walked: TunePoint | undefined): TunePoint[] => {
    const { points, rows, ranked, failed, rowAt } = standing();
    // Nothing between settings that ran the same is worth trying.
    if (ranked.length === 0 || sameRuns(rows)) return [];
    // Once some setting is safe, a local best that got 429s is not worth refining around.
    const safe = ranked.filter((point) => !failed.has(pointKey(point)));
    const from = safe.length > 0 ? safe : ranked;
    const starts = localBests(points, from, axes.length === 1 ? 1 : REFINE_STARTS_2D, axes);
    if (walked !== undefined) starts.push(walked);
    // And the best of each named value, so that each value's best is searched as finely as the overall
    // one: which value wins, and by how much, is what such a search is asked.
    axes.forEach((axis, k) => {
      if (axis.kind !== 'enum') return;
      for (const v of tuneGrid(axis)) {
        const at = (p: TunePoint) => p[k] === v;
        const best = safe.find(at) ?? ranked.find(at);
        if (best !== undefined) starts.push(best);
      }
    });
    const ranSame = (a: TunePoint, b: TunePoint) => {
      const [x, y] = [rowAt.get(pointKey(a)), rowAt.get(pointKey(b))];
      return x !== undefined && y !== undefined && sameRuns([x, y]);
    };
    const next = new Map<string, TunePoint>();
    for (const start of new Map(starts.map((p) => [pointKey(p), p])).values())
      for (const point of refinePoints(axes, points, start, failed, ranSame))
        next.set(pointKey(point), point);
    return [...next.values()];
  };

  const rounds = refineRounds ?? DEFAULT_REFINE_ROUNDS;
  let round = 0;
  /** Where the last walk along the edge did best: the next rounds refine around it, the next walk starts there. */
  let walked: TunePoint | undefined;
  for (let walks = 0; rounds > 0; walks++) {
    for (let r = 1; r <= rounds; r++) {
      const next = nextRound(walked);
      if (next.length === 0) break;
      await run(++round, next);
    }
    if (walks >= EDGE_WALKS) break;
    const { points, ranked, failed } = standing();
    const from = walked ?? ranked[0];
    const along = from === undefined ? [] : edgePoints(axes, points, from, failed);
    if (along.length === 0) break;
    await run(++round, along, true);
    // By mean efficiency unrounded: along the edge settings differ by less than the hundredth the
    // ranking rounds to, and that difference is the direction to go.
    const { rowAt: after } = standing();
    const mean = (p: TunePoint) => {
      const row = after.get(pointKey(p)) as PollerAcrossSeeds;
      return unsafe(row) ? -1 : (row.efficiency?.mean ?? -1);
    };
    const top = along.reduce((a, b) => (mean(b) > mean(a) ? b : a));
    walked = mean(top) >= 0 ? top : walked;
  }

  const { points, summary } = document();
  const settingRows = summary.pollers.slice(0, points.length);
  const best = bestOf(summary, points.length);
  const bestPoint = best === undefined ? undefined : points[settingRows.indexOf(best)];
  const unseen = heldOutSeeds ?? following(seeds);
  let heldOut: Tuning['heldOut'] = null;
  if (bestPoint !== undefined && unseen.length > 0) {
    const { choice } = settings.get(pointKey(bestPoint)) as { choice: PollerChoice };
    const summaries = await study('held-out seeds', [choice], unseen);
    const result = summarizeSeeds(summaries).pollers[0] as PollerAcrossSeeds;
    heldOut = { seeds: [...unseen], result: { ...result, spec: best?.spec ?? result.spec } };
  }
  const rowOf = new Map(points.map((point, i) => [pointKey(point), settingRows[i] as PollerAcrossSeeds]));
  const tried: TriedSetting[] = [...settings.values()].map(({ point, round, alongEdge }) => ({
    value: point[0] as number,
    ...(point.length > 1 ? { second: point[1] as number } : {}),
    ...(point.length > 2 ? { third: point[2] as number } : {}),
    spec: rowOf.get(pointKey(point))?.spec as string,
    round,
    ...(alongEdge ? { alongEdge } : {}),
  }));
  // An end is worth widening only where the parameter can go further (a gap of 0 s cannot), and where
  // it made a difference: not when the setting next to the best along it ran the same.
  const atEnd = (k: number) => {
    // Every named value listed was tried: there is no end to widen.
    if ((axes[k] as TuneAxis).kind === 'enum') return null;
    const values = points.map((p) => p[k] as number);
    const value = bestPoint?.[k];
    if (bestPoint === undefined || value === undefined) return null;
    const limits = paramLimits(target.poller, (axes[k] as TuneAxis).param);
    const end =
      value === Math.min(...values) && value > limits.min
        ? 'low'
        : value === Math.max(...values) && value < limits.max
          ? 'high'
          : null;
    const inward = points
      .filter((p) => p.every((v, i) => i === k || v === bestPoint[i]) && p[k] !== value)
      .map((p) => p[k] as number);
    const next = end === 'low' ? Math.min(...inward) : Math.max(...inward);
    const neighbour = rowOf.get(pointKey(bestPoint.map((v, i) => (i === k ? next : v))));
    return end !== null && neighbour !== undefined && best !== undefined && sameRuns([best, neighbour])
      ? null
      : end;
  };
  const { rest: _rest, second, third, ...range } = target;
  const tuning: Tuning = {
    ...range,
    tried,
    best: best?.spec ?? null,
    // Beside a best that got 429s itself, a nearer one that did is no margin.
    nearestUnsafe:
      best === undefined || unsafe(best) || bestPoint === undefined
        ? null
        : nearestUnsafe(axes, settingRows, points, bestPoint),
    atEnd: atEnd(0),
    ...(second === undefined ? {} : { second: { ...second, atEnd: atEnd(1) } }),
    ...(third === undefined ? {} : { third: { ...third, atEnd: atEnd(2) } }),
    heldOut,
  };
  return { ...summary, tuning };
}

/** Orders settings by the first parameter's value, then the second's, then the third's. */
function comparePoints(a: TunePoint, b: TunePoint): number {
  const k = a.findIndex((v, i) => v !== b[i]);
  return k < 0 ? 0 : (a[k] as number) - (b[k] as number);
}

/** As many seeds as `seeds` holds, from just past the largest of them. */
function following(seeds: readonly number[]): number[] {
  const after = Math.max(...seeds) + 1;
  return Array.from({ length: seeds.length }, (_, i) => after + i);
}

/**
 * The unsafe setting nearest to `best`, its spec or null: of those that differ from it in one parameter
 * (the lines the edge search halves) if any, else of all. Distance along a parameter is by ratio when
 * its range is spread by ratio, else by difference, each as a share of its range, summed over parameters.
 */
function nearestUnsafe(
  axes: readonly TuneAxis[],
  rows: readonly PollerAcrossSeeds[],
  points: readonly TunePoint[],
  best: TunePoint,
): string | null {
  // Named values are all as far apart: one whole range.
  const along = axes.map((axis) =>
    axis.kind === 'enum'
      ? (a: number, b: number) => (a === b ? 0 : 1)
      : spreadByRatio(axis)
        ? (a: number, b: number) => Math.abs(Math.log(a / b)) / Math.log(axis.high / axis.low)
        : (a: number, b: number) => Math.abs(a - b) / (axis.high - axis.low),
  );
  const distance = (point: TunePoint) =>
    point.reduce(
      (sum, v, k) => sum + (along[k] as (a: number, b: number) => number)(v, best[k] as number),
      0,
    );
  const differing = (point: TunePoint) => point.filter((v, k) => v !== best[k]).length;
  let nearest: { row: PollerAcrossSeeds; key: [number, number] } | undefined;
  rows.forEach((row, i) => {
    const point = points[i] as TunePoint;
    if (!unsafe(row)) return;
    const key: [number, number] = [differing(point) > 1 ? 1 : 0, distance(point)];
    if (
      nearest === undefined ||
      key[0] < nearest.key[0] ||
      (key[0] === nearest.key[0] && key[1] < nearest.key[1])
    )
      nearest = { row, key };
  });
  return nearest?.row.spec ?? null;
}
