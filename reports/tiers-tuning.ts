import { EFFICIENCY_LEGEND } from './console-table.ts';
import { formatCount, formatCounted, formatSeedList } from './format.ts';
import type { PollerAcrossSeeds } from './seeds-summary.ts';
import { type TiersSummary, TROUBLE_MARK, tierLabel } from './tiers-summary.ts';
import {
  formatSetting,
  type TunedSummary,
  type Tuning,
  triedPoint,
  tuneAxes,
  tunedParams,
  tuningHeading,
  tuningLines,
  tuningParts,
  unsafe,
} from './tuning.ts';
import { roundedDown, verdictAcrossSeeds } from './verdict.ts';

/**
 * The studies of `--tier LIST --tune SPEC`, one `--tune` search a tier, or undefined when the tiers ran
 * anything else. Such a report is a table of each tier's best setting, not a row per setting tried:
 * the settings tried differ from one tier to the next.
 */
export function tunedStudies(summary: TiersSummary): readonly TunedSummary[] | undefined {
  const studies = summary.studies as readonly { tuning?: Tuning }[];
  return studies.every((s) => s.tuning !== undefined) ? (studies as readonly TunedSummary[]) : undefined;
}

/** A mean efficiency as a cell: `0.97`, then the mark if the row went wrong on some seed. */
function meanCell(row: PollerAcrossSeeds | undefined): string {
  if (row === undefined) return '–';
  // The blank where a mark would go keeps the decimal points of a right-aligned column in line.
  return `${row.efficiency?.mean.toFixed(2) ?? '–'} ${unsafe(row) ? TROUBLE_MARK : ' '}`;
}

/** After a best value at an end of its range that could go further: a wider range may do better. */
const RANGE_END_MARK = '*';

/**
 * A tried setting as its tuned values only: `3s`, or `3s, 20s` for two parameters; with `ends`, each
 * value at an end of its range that could go further marked ({@link RANGE_END_MARK}), as the best's are.
 */
function valuesOf(tuning: Tuning, spec: string | null, ends = false): string {
  const tried = tuning.tried.find((t) => t.spec === spec);
  if (tried === undefined) return '–';
  const params = tunedParams(tuning);
  return triedPoint(tried)
    .map((value, k) => {
      const { axis, atEnd } = params[k] as (typeof params)[number];
      const shown = formatSetting(axis, value);
      return ends && atEnd !== null ? `${shown}${RANGE_END_MARK}` : shown;
    })
    .join(', ');
}

/** Whether some tier's best is at an end of a range that could go further. */
function someAtEnd(studies: readonly TunedSummary[]): boolean {
  return studies.some(({ tuning }) => tunedParams(tuning).some(({ atEnd }) => atEnd !== null));
}

/** The pollers given beside the tuned one (`--poller adaptive`), but the oracle: a column each. */
export function referenceSpecs(study: TunedSummary): string[] {
  const tried = new Set(study.tuning.tried.map((t) => t.spec));
  return study.pollers.filter((p) => p.name !== 'oracle' && !tried.has(p.spec)).map((p) => p.spec);
}

/** The seeds the best settings were checked on after the search, if any tier found a best and checked it. */
export function heldOutSeeds(studies: readonly TunedSummary[]): readonly number[] | undefined {
  return studies.find((s) => s.tuning.heldOut !== null)?.tuning.heldOut?.seeds;
}

/** The tuned parameters as a column header names them: `interval`, `interval, gap`. */
function paramNames(tuning: Tuning): string {
  return tuneAxes(tuning)
    .map((axis) => axis.param)
    .join(', ');
}

/**
 * The table of `--tier LIST --tune SPEC`: a row per tier with the best setting its search found, how
 * that setting did over the seeds searched (runs with 429s, mean and worst efficiency, requests a run),
 * the nearest setting tried that went wrong, the best on the held-out seeds, and each other poller's
 * mean efficiency.
 */
export function tunedTiersTableRows(
  summary: TiersSummary,
  studies: readonly TunedSummary[],
): { header: string[]; rows: string[][] } {
  const [first] = studies as [TunedSummary];
  const references = [...new Set(studies.flatMap(referenceSpecs))];
  const heldOut = heldOutSeeds(studies);
  const header = [
    'tier',
    `best ${paramNames(first.tuning)}`,
    'with 429s',
    'efficiency mean',
    'worst',
    'requests/run',
    'nearest unsafe',
    ...(heldOut === undefined ? [] : [`seeds ${formatSeedList(heldOut)}`]),
    ...references,
  ];
  const rows = studies.map((study, i) => {
    const { tuning } = study;
    const best = study.pollers.find((p) => p.spec === tuning.best);
    const held = tuning.heldOut?.result;
    return [
      tierLabel(summary.tiers[i] as string),
      best === undefined
        ? 'none'
        : `${valuesOf(tuning, best.spec, true)} ${unsafe(best) ? TROUBLE_MARK : ' '}`,
      best === undefined ? '–' : `${best.runsRateLimited}/${best.runs}`,
      best?.efficiency?.mean.toFixed(2) ?? '–',
      best?.efficiency === null || best === undefined ? '–' : roundedDown(best.efficiency.min).toFixed(2),
      best === undefined ? '–' : formatCount(Math.round(best.requests.mean)),
      tuning.nearestUnsafe === null ? '–' : valuesOf(tuning, tuning.nearestUnsafe),
      ...(heldOut === undefined ? [] : [meanCell(held)]),
      ...references.map((spec) => meanCell(study.pollers.find((p) => p.spec === spec))),
    ];
  });
  return { header, rows };
}

/** Under the table, for a tier: what its search tried, what it found, and, if so, who beat every setting. */
export function tunedTierLines(study: TunedSummary): string[] {
  const parts = tuningParts(study);
  return [
    tuningHeading(study.tuning),
    ...tuningLines(study),
    ...(parts.verdict ? verdictAcrossSeeds(study) : []),
  ];
}

/** What the columns of the tuned tiers table mean. */
export function tunedTiersLegend(summary: TiersSummary, studies: readonly TunedSummary[]): string {
  const [first] = studies as [TunedSummary];
  const runs = formatCounted((summary.seeds ?? []).length, 'seed');
  const heldOut = heldOutSeeds(studies);
  const held =
    heldOut === undefined
      ? ''
      : ` seeds ${formatSeedList(heldOut)} = the best setting's mean efficiency on those seeds, which the search did not see.`;
  const others = studies.some((s) => referenceSpecs(s).length > 0)
    ? ' The columns after it: the mean efficiency of each other poller given.'
    : '';
  const ends = someAtEnd(studies)
    ? ` ${RANGE_END_MARK} after a best value at an end of its range: a wider range may do better.`
    : '';
  return `Each row: the setting of ${paramNames(first.tuning)} the search found best at that tier (of those that finished every job on every seed: the fewest runs with 429s, then 429s a run, then the highest mean and worst efficiency, then the fewest requests), over the ${runs} searched: runs with 429s, mean and worst efficiency (rounded down), requests a run.${ends} nearest unsafe = the nearest setting tried that got a 429 or lost a job on some seed.${held}${others} ${TROUBLE_MARK} where a poller got 429s, lost jobs or was cut short on some seed. ${EFFICIENCY_LEGEND}`;
}
