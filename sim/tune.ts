import { type PollerAcrossSeeds, summarizeSeeds } from '../reports/seeds-summary.ts';
import type { PollerSummary, Summary } from '../reports/summary.ts';
import { type TriedSetting, type TunedSummary, type Tuning, unsafe } from '../reports/tuning.ts';
import { bestAcrossSeeds } from '../reports/verdict.ts';
import { formatPollerChoice, type PollerChoice } from '../src/pollers/registry.ts';
import type { SimulationConfig } from './engine.ts';
import { type SeedStudyOptions, SeedThreads } from './seed-study.ts';
import {
  DEFAULT_GRID_POINTS,
  DEFAULT_REFINE_ROUNDS,
  refineAround,
  refineEdges,
  settingChoice,
  type TuneTarget,
  tuneGrid,
} from './tune-spec.ts';

/** Options of {@link tunePoller}: those of a seed study, and how far to search. */
export interface TuneOptions extends Omit<SeedStudyOptions, 'onProgress'> {
  /** Settings on the first grid over the range. @defaultValue {@link DEFAULT_GRID_POINTS} */
  readonly gridPoints?: number | undefined;
  /** Rounds that halve the gaps beside the best and at the edge of the 429s. @defaultValue {@link DEFAULT_REFINE_ROUNDS} */
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
 * Searches one numeric parameter of a poller for the setting that finishes soonest without a 429 over
 * `seeds`. First a grid over the range ({@link tuneGrid}), then rounds that try the midpoints of the
 * gaps beside the best setting so far ({@link refineAround}) and of the gap at the edge of the settings
 * that got 429s ({@link refineEdges}), until the rounding leaves none or the rounds run out. Settings are ranked as the line under a seeds table ranks pollers
 * ({@link bestAcrossSeeds}). Every setting runs on the same seeds, so on the same jobs. `config.pollers`
 * run beside the first grid as references (the oracle always does). The best setting then runs on the
 * held-out seeds.
 * @returns the study's across-seeds document, one row per setting tried (by value), then the references
 *   and the oracle, with {@link Tuning} in `tuning`
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

/** The first held-out seed that is also searched (a held-out check must be on seeds the search never saw). */
export function searchedHeldOut(seeds: readonly number[], heldOut: readonly number[]): number | undefined {
  return heldOut.find((seed) => seeds.includes(seed));
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
  const references = config.pollers.filter((p) => p.name !== 'oracle');
  /** Per setting value: its choice, the round that tried it, and its summary per seed (seeds' order). */
  const settings = new Map<number, { choice: PollerChoice; round: number; runs: PollerSummary[] }>();
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
  const run = async (round: number, values: readonly number[]) => {
    const choices = values.map((value) => settingChoice(target, value));
    const withReferences = round === 0 ? [...choices, ...references] : choices;
    const summaries = await study(round === 0 ? 'grid' : `round ${round}`, withReferences, seeds);
    const column = (i: number) => summaries.map((s) => s.pollers[i] as PollerSummary);
    values.forEach((value, i) => {
      settings.set(value, { choice: choices[i] as PollerChoice, round, runs: column(i) });
    });
    if (round === 0) {
      referenceRuns = references.map((_, j) => column(choices.length + j));
      oracleRuns = summaries.map((s) => s.pollers.find((p) => p.name === 'oracle') as PollerSummary);
    }
    return summaries;
  };

  const [first] = await run(0, tuneGrid(target, gridPoints ?? DEFAULT_GRID_POINTS));
  if (first === undefined) throw new Error('tunePoller: the grid gave no summary');
  /** The study so far as one document: settings by value, references, oracle. */
  const document = () => {
    const sorted = [...settings.entries()].sort(([a], [b]) => a - b);
    const perSeed: Summary[] = seeds.map((seed, s) => ({
      ...first,
      seed,
      pollers: [
        ...sorted.map(([, { choice, runs }]) => ({
          ...(runs[s] as PollerSummary),
          // Every setting shows the tuned parameter, whatever the round it ran in alone.
          spec: formatPollerChoice(choice, { showMain: true, show: [target.param] }),
        })),
        ...referenceRuns.map((runs) => runs[s] as PollerSummary),
        oracleRuns[s] as PollerSummary,
      ],
    }));
    const values = sorted.map(([value]) => value);
    return { values, summary: summarizeSeeds(perSeed) };
  };
  const bestOf = (summary: ReturnType<typeof document>['summary'], count: number) =>
    bestAcrossSeeds({ pollers: summary.pollers.slice(0, count) });

  const rounds = refineRounds ?? DEFAULT_REFINE_ROUNDS;
  for (let round = 1; round <= rounds; round++) {
    const { values, summary } = document();
    const best = bestOf(summary, values.length);
    if (best === undefined) break;
    const bestValue = values[summary.pollers.indexOf(best)] as number;
    const failed = new Set(values.filter((_, i) => unsafe(summary.pollers[i] as PollerAcrossSeeds)));
    const edges = unsafe(best) ? [] : refineEdges(target.kind, values, bestValue, failed);
    const next = [...new Set([...refineAround(target.kind, values, bestValue), ...edges])];
    if (next.length === 0) break;
    await run(round, next);
  }

  const { values, summary } = document();
  const settingRows = summary.pollers.slice(0, values.length);
  const best = bestOf(summary, values.length);
  const bestIndex = best === undefined ? -1 : settingRows.indexOf(best);
  const bestValue = values[bestIndex];
  const unseen = heldOutSeeds ?? following(seeds);
  let heldOut: Tuning['heldOut'] = null;
  if (bestValue !== undefined && unseen.length > 0) {
    const choice = (settings.get(bestValue) as { choice: PollerChoice }).choice;
    const summaries = await study('held-out seeds', [choice], unseen);
    const result = summarizeSeeds(summaries).pollers[0] as PollerAcrossSeeds;
    heldOut = { seeds: [...unseen], result: { ...result, spec: best?.spec ?? result.spec } };
  }
  const tried: TriedSetting[] = [...settings.entries()].map(([value, { round }]) => ({
    value,
    spec: settingRows[values.indexOf(value)]?.spec as string,
    round,
  }));
  const { rest: _rest, ...range } = target;
  const tuning: Tuning = {
    ...range,
    tried,
    best: best?.spec ?? null,
    // Beside a best that got 429s itself, a nearer one that did is no margin.
    nearestUnsafe:
      best === undefined || unsafe(best) ? null : nearestUnsafe(settingRows, values, bestValue as number),
    atEnd:
      bestValue === undefined
        ? null
        : bestValue === values[0]
          ? 'low'
          : bestValue === values[values.length - 1]
            ? 'high'
            : null,
    heldOut,
  };
  return { ...summary, tuning };
}

/** As many seeds as `seeds` holds, from just past the largest of them. */
function following(seeds: readonly number[]): number[] {
  const after = Math.max(...seeds) + 1;
  return Array.from({ length: seeds.length }, (_, i) => after + i);
}

/** The unsafe setting nearest to `best` by ratio (by difference when either is zero); its spec or null. */
function nearestUnsafe(
  rows: readonly PollerAcrossSeeds[],
  values: readonly number[],
  best: number,
): string | null {
  const distance = (v: number) => (v > 0 && best > 0 ? Math.abs(Math.log(v / best)) : Math.abs(v - best));
  let nearest: PollerAcrossSeeds | undefined;
  let nearestDistance = Number.POSITIVE_INFINITY;
  rows.forEach((row, i) => {
    const d = distance(values[i] as number);
    if (unsafe(row) && d < nearestDistance) {
      nearest = row;
      nearestDistance = d;
    }
  });
  return nearest?.spec ?? null;
}
