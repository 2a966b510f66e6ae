import type { ChartSpec } from './charts.ts';
import { alignedTable, EFFICIENCY_LEGEND, titledTable } from './console-table.ts';
import { formatCount, formatCounted, formatLimits, formatSeedList } from './format.ts';
import { markdownTable } from './markdown.ts';
import { lastOverFirst, type PollerAcrossSeeds, type SeedsSummary } from './seeds-summary.ts';
import type { PollerSummary, Summary } from './summary.ts';
import { type TiersSummary, TROUBLE_MARK, tierLabel } from './tiers-summary.ts';
import { tunedStudies, tunedTierLines, tunedTiersLegend, tunedTiersTableRows } from './tiers-tuning.ts';
import type { TunedSummary } from './tuning.ts';
import { verdictAcrossSeeds, verdictOfRun } from './verdict.ts';

type Study = Summary | SeedsSummary;

/**
 * The rows of the matrix: every poller spec run at any tier, once. A spec only some tiers ran (each
 * tier's bundled study has its own `fixed` setting) goes next to where its own tier lists it: before
 * the spec that follows it there.
 */
export function tierRowSpecs(studies: readonly Study[]): string[] {
  const rows: string[] = [];
  for (const study of studies) {
    const specs = study.pollers.map((p) => p.spec);
    for (let i = specs.length - 1; i >= 0; i--) {
      const spec = specs[i] as string;
      if (rows.includes(spec)) continue;
      const next = specs.slice(i + 1).find((s) => rows.includes(s));
      rows.splice(next === undefined ? rows.length : rows.indexOf(next), 0, spec);
    }
  }
  return rows;
}

/** A poller's figures in one tier's study: of its one run, or over its seeds. */
export type TierRow = PollerSummary | PollerAcrossSeeds;

/** The row of each study (one per tier) for the poller `spec`; undefined where that tier did not run it. */
export function rowsAcrossTiers(studies: readonly Study[], spec: string): (TierRow | undefined)[] {
  return studies.map((study) => (study.pollers as readonly TierRow[]).find((p) => p.spec === spec));
}

/** A row's efficiency as the table shows it: of the run, or its mean over the seeds. */
export function rowEfficiency(row: TierRow): number | null {
  return 'runs' in row ? (row.efficiency?.mean ?? null) : row.efficiency;
}

/** A row's rate-limit 429s: in the run, or the runs that got any over the seeds. */
export function rowRateLimited(row: TierRow): number {
  return 'runs' in row ? row.runsRateLimited : row.rateLimited;
}

/** What a row of the second table counts at each tier, and how a cell shows it. */
interface Trouble {
  /** The row's name, beside the poller's. */
  readonly label: string;
  /** How many at that tier: 0 when nothing went wrong there. */
  count(row: TierRow): number;
  /** The cell. */
  cell(row: TierRow): string;
}

const abandoned = (row: TierRow) => row.jobs.abandoned;

const ofRuns = (count: (row: PollerAcrossSeeds) => number) => (row: TierRow) =>
  `${count(row as PollerAcrossSeeds)}/${(row as PollerAcrossSeeds).runs}`;

/** What can go wrong in one run: rate-limit 429s, jobs abandoned, the run cut short. */
const RUN_TROUBLES: readonly Trouble[] = [
  { label: '429s', count: rowRateLimited, cell: (row) => formatCount(rowRateLimited(row)) },
  { label: 'jobs abandoned', count: abandoned, cell: (row) => formatCount(abandoned(row)) },
  {
    label: 'cut short',
    count: (row) => ((row as PollerSummary).stopped === null ? 0 : 1),
    cell: (row) => ((row as PollerSummary).stopped === null ? 'no' : 'yes'),
  },
];

/** Over seeds: on how many runs 429s came, the jobs abandoned over all runs, how many runs were cut short. */
const SEEDS_TROUBLES: readonly Trouble[] = [
  { label: 'runs with 429s', count: rowRateLimited, cell: ofRuns(rowRateLimited) },
  { label: 'jobs abandoned, all runs', count: abandoned, cell: (row) => formatCount(abandoned(row)) },
  {
    label: 'runs cut short',
    count: (row) => (row as PollerAcrossSeeds).runsCut,
    cell: ofRuns((row) => row.runsCut),
  },
];

function troublesOf(row: TierRow): readonly Trouble[] {
  return 'runs' in row ? SEEDS_TROUBLES : RUN_TROUBLES;
}

function troubles(summary: TiersSummary): readonly Trouble[] {
  return summary.seeds === null ? RUN_TROUBLES : SEEDS_TROUBLES;
}

/**
 * One cell: the poller's efficiency at that tier (over seeds, its mean), followed by
 * {@link TROUBLE_MARK} if something went wrong there (the second table counts what). `–` where the
 * tier did not run it.
 */
export function tierCell(poller: TierRow | undefined): string {
  if (poller === undefined) return '–';
  const efficiency = rowEfficiency(poller);
  const wrong = troublesOf(poller).some((kind) => kind.count(poller) > 0);
  // The blank where a mark would go keeps the decimal points of a right-aligned column in line.
  return `${efficiency === null ? '–' : efficiency.toFixed(2)} ${wrong ? TROUBLE_MARK : ' '}`;
}

/**
 * Column headers and cells of the matrix (a row per poller, a column per tier), for every format; with
 * `--tune`, the table of each tier's best setting ({@link tunedTiersTableRows}) instead.
 */
export function tiersTableRows(summary: TiersSummary): { header: string[]; rows: string[][] } {
  const tuned = tunedStudies(summary);
  if (tuned !== undefined) return tunedTiersTableRows(summary, tuned);
  const studies = summary.studies as readonly Study[];
  const header = ['poller', ...summary.tiers.map(tierLabel)];
  const rows = tierRowSpecs(studies).map((spec) => [spec, ...rowsAcrossTiers(studies, spec).map(tierCell)]);
  return { header, rows };
}

/**
 * The second table: for each poller that went wrong at some tier, a row for each kind of trouble it
 * had (429s, jobs abandoned, cut short; over seeds, on how many runs), with its count at every tier.
 * No rows when no poller went wrong anywhere, nor with `--tune`, whose table marks its own. Its first
 * two columns are text.
 */
export function tierTroubleRows(summary: TiersSummary): { header: string[]; rows: string[][] } {
  const studies = summary.studies as readonly Study[];
  const header = ['poller', '', ...summary.tiers.map(tierLabel)];
  if (tunedStudies(summary) !== undefined) return { header, rows: [] };
  const rows = tierRowSpecs(studies).flatMap((spec) => {
    const across = rowsAcrossTiers(studies, spec);
    return troubles(summary)
      .filter((kind) => across.some((row) => row !== undefined && kind.count(row) > 0))
      .map((kind, i) => [
        i === 0 ? spec : '',
        kind.label,
        ...across.map((row) => (row === undefined ? '–' : kind.cell(row))),
      ]);
  });
  return { header, rows };
}

/** The last client's makespan over the first's in one run, or its mean over the seeds; undefined with one client. */
export function rowClientSpread(row: TierRow): number | undefined {
  if ('runs' in row) return row.clients?.lastOverFirst.mean;
  const clients = row.byClient;
  if (clients === undefined || clients.length < 2) return undefined;
  const makespans = clients.map((c) => c.makespanMs);
  return lastOverFirst(Math.min(...makespans), Math.max(...makespans));
}

/**
 * The per-client table of a study of several clients at several tiers: for each poller, the last client
 * to finish its jobs over the first (over seeds, the mean of that) at every tier. It tells copies that
 * shared the budget from one that waited while the others spent it, which the efficiency cannot.
 * Undefined when no tier ran more than one client, and with `--tune`, whose table is of settings.
 */
export function tierClientRows(
  summary: TiersSummary,
): { title: string; header: string[]; rows: string[][] } | undefined {
  const studies = summary.studies as readonly Study[];
  if (tunedStudies(summary) !== undefined) return undefined;
  const rows = tierRowSpecs(studies).flatMap((spec) => {
    const spreads = rowsAcrossTiers(studies, spec).map((row) =>
      row === undefined ? undefined : rowClientSpread(row),
    );
    return spreads.every((v) => v === undefined)
      ? []
      : [[spec, ...spreads.map((v) => (v === undefined ? '–' : v.toFixed(2)))]];
  });
  if (rows.length === 0) return undefined;
  const clients = [...new Set(studies.map((s) => s.workload.clients).filter((n) => n > 1))];
  const who = clients.length === 1 ? formatCounted(clients[0] as number, 'client') : 'several clients';
  const over = summary.seeds === null ? '' : ', the mean over the seeds';
  return {
    title: `Per client (${who}): the makespan of the last client to finish its jobs over the first's at each tier${over} (1.00 when they finish together; the oracle's is what job durations alone make).`,
    header: ['per client', ...summary.tiers.map(tierLabel)],
    rows,
  };
}

/** The line over the second table. */
export const TROUBLE_TITLE = `What went wrong where a cell is marked ${TROUBLE_MARK}:`;

/** The tiers as people write a list: `free, 1, 2`. */
function tierList(tiers: readonly string[]): string {
  return tiers.join(', ');
}

/** The heading: what ran, at which tiers, at which seeds, over which transport. */
export function tiersHeading(summary: TiersSummary): { title: string; lines: string[] } {
  const studies = summary.studies as readonly Study[];
  const [first] = studies as [Study];
  const same = studies.every((s) => s.scenario === first.scenario);
  const seeds =
    summary.seeds === null
      ? [...new Set(studies.map((s) => (s as Summary).seed))].length === 1
        ? `seed ${(first as Summary).seed}`
        : 'each tier at its own seed'
      : `seeds ${formatSeedList(summary.seeds)}`;
  const transports = [...new Set(studies.map((s) => s.transport))].join(', ');
  const tuning = tunedStudies(summary)?.[0]?.tuning.spec;
  const tiers = `tiers ${tierList(summary.tiers)}`;
  const study = same
    ? `${first.scenario} at ${tiers} — ${summary.description ?? first.description}`
    : `${tiers}, each its own study (below)`;
  return {
    title: tuning === undefined ? study : `tuning ${tuning}: ${study}`,
    lines: [`${seeds} · ${transports} transport`],
  };
}

/** A tier's study in one line: its scenario, limits and workload. */
export function tierStudyLine(study: Study): string {
  const w = study.workload;
  const limits = `${study.limitsSubject}: ${formatLimits(study.limits)}`;
  return `${study.scenario} · ${limits} · ${w.flow} flow, ${formatCounted(w.jobs, 'job')} × ${formatCounted(w.clients, 'client')}, ${formatCounted(w.workers, 'worker')} each, arrivals ${w.arrival}`;
}

/** The line naming a tier's best poller, as its own table would print it; none when it compared none. */
export function tierVerdicts(study: Study): string[] {
  return study.schema === 'pollbench/seeds@1'
    ? verdictAcrossSeeds(study)
    : verdictOfRun(study, { check: false });
}

/**
 * The second table in some format, after its title line and a blank line: `table` renders its header
 * and rows. Nothing when no poller went wrong at any tier.
 */
export function troubleSection(summary: TiersSummary) {
  const { header, rows } = tierTroubleRows(summary);
  return (table: (header: string[], rows: string[][]) => string[]): string[] =>
    rows.length === 0 ? [] : [TROUBLE_TITLE, '', ...table(header, rows)];
}

/** What the cells mean, under the matrix. */
export function tiersLegend(summary: TiersSummary): string {
  const tuned = tunedStudies(summary);
  if (tuned !== undefined) return tunedTiersLegend(summary, tuned);
  const runs = summary.seeds?.length;
  const cell =
    runs === undefined
      ? 'Each cell: the efficiency at that tier'
      : `Each cell: the mean efficiency over the ${formatCounted(runs, 'seed')} at that tier`;
  const wrong =
    tierTroubleRows(summary).rows.length === 0
      ? ''
      : runs === undefined
        ? `, ${TROUBLE_MARK} where the poller got rate-limit 429s, abandoned jobs or was cut short there`
        : `, ${TROUBLE_MARK} where it got rate-limit 429s, abandoned jobs or was cut short on any run there`;
  const check = runs === undefined ? ' At one seed: --seeds 1-10 checks each tier over ten.' : '';
  return `${cell}${wrong}; – where the tier did not run that poller. ${EFFICIENCY_LEGEND}${check}`;
}

/** Under the matrix, for each tier: its study, and the line naming its best poller. */
export function perTier(summary: TiersSummary): { label: string; lines: string[] }[] {
  return (summary.studies as readonly Study[]).map((study, i) => ({
    label: tierLabel(summary.tiers[i] as string),
    lines: [
      tierStudyLine(study),
      ...('tuning' in study && study.tuning !== undefined
        ? tunedTierLines(study as TunedSummary)
        : tierVerdicts(study)),
    ],
  }));
}

/** The plain-text report `npm run sim -- --tier free,1,…` prints: a row per poller, a column per tier. */
export function renderTiersConsole(summary: TiersSummary): string {
  const { header, rows } = tiersTableRows(summary);
  const heading = tiersHeading(summary);
  const tiers = perTier(summary);
  const troubleTable = troubleSection(summary);
  const width = Math.max(...tiers.map((t) => t.label.length));
  return `${[
    `pollbench · ${heading.title}`,
    ...heading.lines,
    '',
    ...alignedTable(header, rows),
    '',
    ...troubleTable((h, r) => [...alignedTable(h, r, 2), '']),
    ...titledTable(tierClientRows(summary), alignedTable),
    ...tiers.flatMap((t) => [
      ...t.lines.map((line, i) => `${(i === 0 ? t.label : '').padEnd(width)}  ${line}`),
      '',
    ]),
    tiersLegend(summary),
  ].join('\n')}\n`;
}

/**
 * `tiers.md`: the matrix, each tier's study and best poller with a link to its full report
 * (`tier-T/`), the legend and the chart.
 */
export function renderTiersMarkdown(summary: TiersSummary, charts: readonly ChartSpec[]): string {
  const { header, rows } = tiersTableRows(summary);
  const heading = tiersHeading(summary);
  return [
    `# pollbench by tier: ${heading.title}`,
    '',
    ...heading.lines,
    '',
    ...markdownTable(header, rows),
    '',
    tiersLegend(summary),
    '',
    ...troubleSection(summary)((h, r) => [...markdownTable(h, r, 2), '']),
    ...titledTable(tierClientRows(summary), markdownTable),
    ...perTier(summary).flatMap((t, i) => [
      `## ${t.label}`,
      '',
      ...t.lines.flatMap((line) => [line, '']),
      `Full report: [${tierReportFile(summary, i)}](${tierReportFile(summary, i)})`,
      '',
    ]),
    ...charts.flatMap((c) => [`![${c.title}](${c.file})`, '']),
    'Every figure here is computed from simulated traffic and comes from `tiers.json`; `npm run report -- tiers.json` re-renders this report from it.',
    '',
  ].join('\n');
}

/** The folder each tier's own report goes in, under the tiers report: `tier-free`, `tier-2`. */
export function tierDir(tier: string): string {
  return `tier-${tier}`;
}

/** The main page of the `i`th tier's own report (its Markdown or its HTML), relative to the tiers report. */
export function tierReportFile(summary: TiersSummary, i: number, format: 'md' | 'html' = 'md'): string {
  const study = (summary.studies as readonly Study[])[i] as Study;
  const page = study.schema === 'pollbench/seeds@1' ? 'seeds' : 'report';
  return `${tierDir(summary.tiers[i] as string)}/${page}.${format}`;
}
