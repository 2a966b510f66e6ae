import { formatMs } from '../src/pollers/registry.ts';
import { formatCount, formatCounted, formatSeedList } from './format.ts';
import type { PollerAcrossSeeds, SeedsSummary } from './seeds-summary.ts';
import { efficiencyAcross, figuresAcross, onEverySeed, rankAcrossSeeds } from './verdict.ts';

/** One setting the tuner tried. */
export interface TriedSetting {
  /** The (first) tuned parameter's value, in its unit (milliseconds for a duration). */
  readonly value: number;
  /** The second tuned parameter's value, when two or three were tuned. */
  readonly second?: number | undefined;
  /** The third tuned parameter's value, when three were tuned. */
  readonly third?: number | undefined;
  /** Its row's spec in the table. */
  readonly spec: string;
  /** 0 for the first grid, then the refining round that tried it. */
  readonly round: number;
  /** True when that round walked along the edge of the 429s (two or three parameters), absent otherwise. */
  readonly alongEdge?: true | undefined;
}

/**
 * One parameter a `--tune` searches: over a range, or, for a parameter with named values (`jitter`),
 * over a list of them (`jitter=full|equal`), each setting's value then its index in `values`.
 */
export interface TuneAxis {
  readonly param: string;
  readonly kind: 'duration' | 'number' | 'int' | 'enum';
  /**
   * The range's ends, in the parameter's unit (milliseconds for a duration); for named values, 0 and the
   * last index of `values`.
   */
  readonly low: number;
  readonly high: number;
  /** The named values tried, in the order given; only for `kind` `enum`. */
  readonly values?: readonly string[] | undefined;
}

/** What a `--tune` searches: one numeric parameter of one poller over a range, or two or three. */
export interface TuneRange extends TuneAxis {
  /** The `--tune` spec as given, e.g. `fixed:interval=1s..30s`. */
  readonly spec: string;
  readonly poller: string;
  /** The second parameter, when `--tune` gave two ranges (`fixed:interval=1s..60s,gap=0s..60s`) or three. */
  readonly second?: TuneAxis | undefined;
  /** The third parameter, when `--tune` gave three ranges (`backoff:base=…,factor=…,cap=…`). */
  readonly third?: TuneAxis | undefined;
}

/** The parameters a tune searches, in order: one, two or three, as `--tune` gave their ranges. */
export function tuneAxes(range: TuneRange): TuneAxis[] {
  const { param, kind, low, high, values, second, third } = range;
  return [
    { param, kind, low, high, ...(values === undefined ? {} : { values }) },
    ...(second === undefined ? [] : [second]),
    ...(third === undefined ? [] : [third]),
  ];
}

/** A setting tried as its values: the first parameter's, then the second's and third's when tuned. */
export function triedPoint(setting: TriedSetting): number[] {
  const { value, second, third } = setting;
  return [value, ...(second === undefined ? [] : [second]), ...(third === undefined ? [] : [third])];
}

/** A setting as people read it: `3s`, `2700ms`, `0.25`, `120`, or a named value (`equal`). */
export function formatSetting(axis: Pick<TuneAxis, 'kind' | 'values'>, value: number): string {
  if (axis.kind === 'enum') return axis.values?.[value] ?? String(value);
  return axis.kind === 'duration' ? formatMs(value) : String(value);
}

/**
 * Whether the range's settings are spread by ratio (1 s, 1.6 s, 2.6 s, …) rather than evenly: when it
 * spans more than a factor of 2 and starts above zero. The grid and the tuning curve's axis both follow it.
 */
export function spreadByRatio(range: Pick<TuneAxis, 'low' | 'high'> & { kind?: TuneAxis['kind'] }): boolean {
  return range.kind !== 'enum' && range.low > 0 && range.high / range.low > 2;
}

/** How a `--tune` study searched, and what it found: the `tuning` field of its `seeds.json`. */
export interface Tuning extends TuneRange {
  /** Every setting tried, in the order tried. */
  readonly tried: readonly TriedSetting[];
  /**
   * The best setting tried, as the line under a seeds table ranks pollers (fewest runs with 429s, then
   * 429s a run, mean and worst efficiency, requests), of those that finished every job on every seed;
   * null when none did.
   */
  readonly best: string | null;
  /** Of the tried settings that got a 429 or lost a job on some seed, the nearest to `best`; or null. */
  readonly nearestUnsafe: string | null;
  /**
   * `low` or `high` when `best` is an end of the range, where a wider range might do better; else null
   * (null too at an end the parameter cannot go past, such as a duration of 0).
   */
  readonly atEnd: 'low' | 'high' | null;
  /** The second parameter, when two or three were tuned, and which end of its range `best` is, if either. */
  readonly second?: (TuneAxis & { readonly atEnd: 'low' | 'high' | null }) | undefined;
  /** The third parameter, when three were tuned, and which end of its range `best` is, if either. */
  readonly third?: (TuneAxis & { readonly atEnd: 'low' | 'high' | null }) | undefined;
  /**
   * `best` again on seeds the search never saw, since a setting chosen on some seeds is at its best on
   * those: null when none were asked for or nothing was best.
   */
  readonly heldOut: { readonly seeds: readonly number[]; readonly result: PollerAcrossSeeds } | null;
}

/** The across-seeds document of a `--tune` study: every setting tried as a row, and {@link Tuning}. */
export type TunedSummary = SeedsSummary & { readonly tuning: Tuning };

/**
 * The lines a seeds table gets from a `--tune` study: above it, what was searched; under it, what was
 * found, and the line naming the best row only when a reference poller beat every setting.
 */
export function tuningParts(summary: SeedsSummary): { above: string[]; under: string[]; verdict: boolean } {
  const { tuning } = summary;
  if (tuning === undefined) return { above: [], under: [], verdict: true };
  return {
    above: [tuningHeading(tuning)],
    under: tuningLines({ ...summary, tuning }),
    verdict: summary.recommended !== tuning.best,
  };
}

/** A row's mean efficiency as a chart's legend gives it: `0.94 mean`, `, with 429s or jobs lost` if so. */
export function meanInLegend(row: PollerAcrossSeeds): string {
  return `${row.efficiency?.mean.toFixed(2) ?? '–'} mean${unsafe(row) ? ', with 429s or jobs lost' : ''}`;
}

/** Whether a row got a rate-limit 429, lost a job, or was cut short on some seed. */
export function unsafe(row: PollerAcrossSeeds): boolean {
  return row.runsRateLimited > 0 || row.jobs.abandoned > 0 || row.runsCut > 0;
}

/**
 * Whether every row ran the same on every seed: the same requests, 429s, errors, jobs, makespan and
 * detection delay. Settings of a parameter that makes no difference to a study tie like this (`adaptive`'s
 * `tail` on a program whose jobs never outlive what it has learned), and none of them is better than
 * another: halving the gaps between them is wasted, and naming one "best" would mislead.
 */
export function sameRuns(rows: readonly PollerAcrossSeeds[]): boolean {
  if (rows.length < 2) return false;
  const runs = (row: PollerAcrossSeeds) => JSON.stringify(row.perSeed);
  const first = runs(rows[0] as PollerAcrossSeeds);
  return rows.every((row) => runs(row) === first);
}

/** The tuned parameters of a tuning, in order, each with which end of its range the best is, if either. */
export function tunedParams(
  tuning: Tuning,
): { readonly axis: TuneAxis; readonly atEnd: 'low' | 'high' | null }[] {
  const ends = [tuning.atEnd, tuning.second?.atEnd, tuning.third?.atEnd];
  return tuneAxes(tuning).map((axis, k) => ({ axis, atEnd: ends[k] ?? null }));
}

/** A number of ranges in words, as the lines and messages about a tune give it: `two ranges`, `three ranges`. */
export function rangesInWords(count: number): string {
  return countedInWords(count, 'range');
}

/** A number of tuned parameters in words, ranges and lists of named values together: `two parameters`. */
export function parametersInWords(count: number): string {
  return countedInWords(count, 'parameter');
}

function countedInWords(count: number, noun: string): string {
  return `${['one', 'two', 'three'][count - 1] ?? count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Words in a list: `interval`, `interval and gap`, `base, factor and cap`. */
function listed(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** The tuned parameters in words: `interval`, `interval and gap`, `base, factor and cap`. */
function tunedNames(tuning: Tuning): string {
  return listed(tunedParams(tuning).map(({ axis }) => axis.param));
}

/**
 * What a search over several parameters spans, in words: `the two ranges`, or with named values `the
 * range and the 4 values of jitter`.
 */
function searchedInWords(tuning: Tuning): string {
  const axes = tuneAxes(tuning);
  const ranges = axes.filter((axis) => axis.kind !== 'enum').length;
  const named = axes.flatMap((axis) =>
    axis.kind === 'enum' ? [`the ${axis.values?.length ?? 0} values of ${axis.param}`] : [],
  );
  return listed([ranges === 1 ? 'the range' : `the ${rangesInWords(ranges)}`, ...named]);
}

/** The line above the table: what was tuned, over what, on how many settings. */
export function tuningHeading(tuning: Tuning): string {
  const walked = tuning.tried.filter((t) => t.alongEdge === true);
  const walks = new Set(walked.map((t) => t.round)).size;
  const rounds = Math.max(0, ...tuning.tried.map((t) => t.round)) - walks;
  const grid = tuning.tried.filter((t) => t.round === 0);
  const refined = tuning.tried.length - grid.length - walked.length;
  const dimensions = tunedParams(tuning).length;
  const sides =
    grid.length === 0
      ? []
      : triedPoint(grid[0] as TriedSetting).map((_, k) => new Set(grid.map((t) => triedPoint(t)[k])).size);
  const spread =
    dimensions === 1
      ? `${grid.length} spread over the range`
      : `${grid.length} on a ${sides.join(' × ')} grid over ${searchedInWords(tuning)}`;
  const halving = `halving the gaps beside the best and at the edge of the 429s${dimensions === 1 ? '' : ', one parameter at a time'}`;
  const along =
    walks === 0
      ? ''
      : `, and ${walked.length} in ${walks === 1 ? 'a walk' : `${walks} walks`} along that edge`;
  return `tuning ${tuning.spec}: ${tuning.tried.length} settings tried, ${spread}${refined > 0 ? `, then ${refined} in ${rounds} round${rounds === 1 ? '' : 's'} ${halving}` : ''}${along}`;
}

/** The lines under the table: the best setting, its margin, and how it did on the held-out seeds. */
export function tuningLines(summary: TunedSummary): string[] {
  const { tuning } = summary;
  const rows = new Map(summary.pollers.map((p) => [p.spec, p]));
  const best = tuning.best === null ? undefined : rows.get(tuning.best);
  const every = onEverySeed(summary.seeds.length);
  const names = tunedNames(tuning);
  const tried = tuning.tried.flatMap((t) => rows.get(t.spec) ?? []);
  if (best === undefined) {
    const closest = fewestLost(tried);
    return [
      `No setting of ${names} in ${tuning.spec} finished every job on ${every}.${closest === undefined ? '' : ` Fewest lost: ${closest.spec} (${trouble(closest)}).`}`,
    ];
  }
  if (sameRuns(tried))
    return [
      `${capitalized(names)} made no difference here: every setting tried ran the same on ${every} (${unsafe(best) ? trouble(best) : 'no 429'}, ${figuresAcross(best)}), so any of them will do.`,
      ...heldOutLines(tuning, best.spec),
    ];
  const lines = [
    unsafe(best)
      ? `No setting of ${names} tried went without a 429 on ${every}. Fewest: ${best.spec} (${figures(best, summary.seeds.length)}).`
      : `Best ${names}: ${best.spec} (${figures(best, summary.seeds.length)}).`,
  ];
  lines.push(...eachValueLines(tuning, rows));
  const alike = sameAsBest(tuning, rows, best);
  if (alike !== undefined)
    lines.push(
      `Every setting of ${names} from ${alike.from} to ${alike.to} ran the same on ${every}: any of them will do.`,
    );
  else if (tuning.second !== undefined) {
    // With two or three parameters the settings that tie need not be neighbours: name them.
    const twins = tried.filter((row) => row !== best && sameRuns([row, best]));
    if (twins.length > 0)
      lines.push(
        `${twins.length === 1 ? 'One other setting' : `${formatCount(twins.length)} other settings`} tried ran the same as it on ${every}: ${twins
          .slice(0, 3)
          .map((row) => row.spec)
          .join(', ')}${twins.length > 3 ? ` and ${formatCount(twins.length - 3)} more` : ''}.`,
      );
  }
  const edge = tuning.nearestUnsafe === null ? undefined : rows.get(tuning.nearestUnsafe);
  if (edge !== undefined)
    lines.push(
      `Nearest setting tried that did not: ${edge.spec}${marginOf(tuning, best, edge)} (${trouble(edge)}).`,
    );
  else if (!unsafe(best)) lines.push(`Every setting tried finished every job without a 429 on ${every}.`);
  if (tuning.second === undefined) {
    if (tuning.atEnd !== null)
      lines.push(
        `It is the ${tuning.atEnd === 'low' ? 'lowest' : 'highest'} setting of the range: a wider range may do better.`,
      );
  } else {
    const ends = tunedParams(tuning).flatMap(({ axis, atEnd }) =>
      atEnd === null
        ? []
        : [`its ${axis.param} is the ${atEnd === 'low' ? 'lowest' : 'highest'} of its range`],
    );
    if (ends.length > 0) lines.push(`${capitalized(listed(ends))}: a wider range may do better.`);
  }
  return [...lines, ...heldOutLines(tuning)];
}

/**
 * For each parameter searched over named values, a line with the best setting tried at each value,
 * ranked as the settings are: `Best of each jitter, …: equal at base=57s (0.90 mean); decorrelated at
 * base=24s (0.85 mean); …`. The rounds refine around each value's best as around the overall one, so
 * the line compares the values each at its best. A value where no setting finished every job comes
 * last, as `none finished every job`.
 */
function eachValueLines(tuning: Tuning, rows: ReadonlyMap<string, PollerAcrossSeeds>): string[] {
  const params = tunedParams(tuning);
  return params.flatMap(({ axis }, k) => {
    if (axis.kind !== 'enum') return [];
    // A value's best is, among the settings tried at it, the one the table ranks first.
    const bests = (axis.values ?? []).map((name, v) => {
      const at = tuning.tried.filter((t) => triedPoint(t)[k] === v);
      const best = rankAcrossSeeds({ pollers: at.flatMap((t) => rows.get(t.spec) ?? []) })[0];
      const setting = at.find((t) => t.spec === best?.spec);
      return { name, best, setting };
    });
    const ranked = rankAcrossSeeds({ pollers: bests.flatMap((b) => b.best ?? []) });
    const order = (b: (typeof bests)[number]) =>
      b.best === undefined ? ranked.length : ranked.indexOf(b.best);
    const shown = bests
      .toSorted((a, b) => order(a) - order(b))
      .map(({ name, best, setting }) => {
        if (best === undefined || setting === undefined) return `${name}: none finished every job`;
        const others = triedPoint(setting).flatMap((value, i) =>
          i === k ? [] : [`${params[i]?.axis.param}=${formatSetting(params[i]?.axis ?? axis, value)}`],
        );
        const figures = [
          `${best.efficiency?.mean.toFixed(2) ?? '–'} mean`,
          ...(unsafe(best) ? [trouble(best)] : []),
        ];
        return `${name}${others.length === 0 ? '' : ` at ${others.join(', ')}`} (${figures.join(', ')})`;
      });
    return [`Best of each ${axis.param}, ranked as the settings are: ${shown.join('; ')}.`];
  });
}

/**
 * With one parameter, the settings next to the best that ran the same as it on every seed, as the ends
 * of their span (`0.01` to `0.27`); undefined when none did, or with more than one parameter.
 */
function sameAsBest(
  tuning: Tuning,
  rows: ReadonlyMap<string, PollerAcrossSeeds>,
  best: PollerAcrossSeeds,
): { from: string; to: string } | undefined {
  if (tuning.second !== undefined) return undefined;
  const sorted = [...tuning.tried].sort((a, b) => a.value - b.value);
  const at = sorted.findIndex((t) => t.spec === best.spec);
  const alike = (i: number) => {
    const row = sorted[i] === undefined ? undefined : rows.get((sorted[i] as TriedSetting).spec);
    return row !== undefined && sameRuns([row, best]);
  };
  let [low, high] = [at, at];
  while (alike(low - 1)) low--;
  while (alike(high + 1)) high++;
  if (at < 0 || low === high) return undefined;
  const shown = (i: number) => formatSetting(tuning, (sorted[i] as TriedSetting).value);
  return { from: shown(low), to: shown(high) };
}

/** How the best did on the seeds the search did not see, if it ran on any; `who` names it when a line has not. */
function heldOutLines(tuning: Tuning, who = ''): string[] {
  if (tuning.heldOut === null) return [];
  const { seeds, result } = tuning.heldOut;
  return [
    `On ${seeds.length === 1 ? 'seed' : 'seeds'} ${formatSeedList(seeds)}, which the search did not see${who === '' ? '' : `, ${who}`}: ${unsafe(result) ? trouble(result) : 'no 429, no job lost'}, ${efficiencyAcross(result)}.`,
  ];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The setting that lost the fewest jobs (then was cut short least, then got 429s on fewest seeds). */
function fewestLost(rows: readonly PollerAcrossSeeds[]): PollerAcrossSeeds | undefined {
  const key = (row: PollerAcrossSeeds) => [row.jobs.abandoned, row.runsCut, row.runsRateLimited];
  return rows.reduce<PollerAcrossSeeds | undefined>((best, row) => {
    if (best === undefined) return row;
    const [a, b] = [key(row), key(best)];
    const i = a.findIndex((n, k) => n !== b[k]);
    return i >= 0 && (a[i] as number) < (b[i] as number) ? row : best;
  }, undefined);
}

/**
 * How far the nearest unsafe setting lies from the best, as a share of the best: `, 3 % below`; with
 * two or three parameters, along the one they differ in (`, gap 5 % below`), and nothing when they
 * differ in more.
 */
function marginOf(tuning: Tuning, best: PollerAcrossSeeds, edge: PollerAcrossSeeds): string {
  const setting = (row: PollerAcrossSeeds) => tuning.tried.find((t) => t.spec === row.spec);
  const [b, e] = [setting(best), setting(edge)];
  if (b === undefined || e === undefined) return '';
  const [from, to] = [triedPoint(b), triedPoint(e)];
  const differ = from.flatMap((v, k) => (v === to[k] ? [] : [k]));
  const k = differ[0];
  // Named values are not apart by a share: the spec shows which one.
  if (differ.length !== 1 || k === undefined || from[k] === 0) return '';
  if (tunedParams(tuning)[k]?.axis.kind === 'enum') return '';
  const name = from.length === 1 ? '' : `${tunedParams(tuning)[k]?.axis.param} `;
  const [at, away] = [from[k] as number, to[k] as number];
  const percent = (Math.abs(away - at) / Math.abs(at)) * 100;
  return `, ${name}${percent < 1 ? '<1' : Math.round(percent)} % ${away < at ? 'below' : 'above'}`;
}

function figures(row: PollerAcrossSeeds, runs: number): string {
  return `${unsafe(row) ? trouble(row) : `no 429 on ${onEverySeed(runs)}`}, ${figuresAcross(row)}`;
}

/** What went wrong for a row, in words: 429s on how many runs, jobs lost, runs cut. */
function trouble(row: PollerAcrossSeeds): string {
  const parts: string[] = [];
  if (row.runsRateLimited > 0)
    parts.push(row.runs === 1 ? '429s on its seed' : `429s on ${row.runsRateLimited} of ${row.runs} seeds`);
  if (row.jobs.abandoned > 0) parts.push(`${formatCounted(row.jobs.abandoned, 'job')} abandoned`);
  if (row.runsCut > 0) parts.push(`${formatCounted(row.runsCut, 'run')} cut short`);
  return parts.join(', ');
}
