import type { ChartSpec } from './charts.ts';
import { alignedTable, EFFICIENCY_LEGEND } from './console-table.ts';
import { formatCount, formatCounted, formatLimits, formatSeedList } from './format.ts';
import { markdownTable } from './markdown.ts';
import type { PollerAcrossSeeds, SeedsSummary } from './seeds-summary.ts';
import type { PollerSummary, Summary } from './summary.ts';
import type { TiersSummary } from './tiers-summary.ts';
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

/** `free` or `tier 2`: a tier as a column's header. */
export function tierLabel(tier: string): string {
  return tier === 'free' ? 'free' : `tier ${tier}`;
}

/**
 * One cell: the poller's efficiency at that tier, then what went wrong, if anything: its rate-limit
 * 429s (over seeds: on how many runs), jobs abandoned, runs cut short. `–` where the tier did not run it.
 */
export function tierCell(poller: TierRow | undefined): string {
  if (poller === undefined) return '–';
  const across = 'runs' in poller;
  const efficiency = rowEfficiency(poller);
  const parts = [efficiency === null ? '–' : efficiency.toFixed(2)];
  const limited = rowRateLimited(poller);
  if (limited > 0) parts.push(across ? `429s in ${limited}/${poller.runs}` : formatCounted(limited, '429'));
  if (poller.jobs.abandoned > 0) parts.push(`${formatCount(poller.jobs.abandoned)} abandoned`);
  const cut = across ? poller.runsCut : poller.stopped === null ? 0 : 1;
  if (cut > 0) parts.push(across ? `${cut} cut` : 'cut');
  return parts.join(' · ');
}

/** Column headers and cells of the matrix (a row per poller, a column per tier), for every format. */
export function tiersTableRows(summary: TiersSummary): { header: string[]; rows: string[][] } {
  const studies = summary.studies as readonly Study[];
  const header = ['poller', ...summary.tiers.map(tierLabel)];
  const rows = tierRowSpecs(studies).map((spec) => [spec, ...rowsAcrossTiers(studies, spec).map(tierCell)]);
  return { header, rows };
}

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
  return {
    title: same
      ? `${first.scenario} at tiers ${tierList(summary.tiers)} — ${summary.description ?? first.description}`
      : `tiers ${tierList(summary.tiers)}, each its own study (below)`,
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

/** What the cells mean, under the matrix. */
export function tiersLegend(summary: TiersSummary): string {
  const runs = summary.seeds?.length;
  const cell =
    runs === undefined
      ? 'Each cell: the efficiency at that tier, then its rate-limit 429s and jobs abandoned, if any'
      : `Each cell: the mean efficiency over the ${formatCounted(runs, 'seed')} at that tier, then on how many runs it got rate-limit 429s, and the jobs it abandoned over them, if any`;
  const check = runs === undefined ? ' At one seed: --seeds 1-10 checks each tier over ten.' : '';
  return `${cell}; – where the tier did not run that poller. ${EFFICIENCY_LEGEND}${check}`;
}

/** Under the matrix, for each tier: its study, and the line naming its best poller. */
export function perTier(summary: TiersSummary): { label: string; lines: string[] }[] {
  return (summary.studies as readonly Study[]).map((study, i) => ({
    label: tierLabel(summary.tiers[i] as string),
    lines: [tierStudyLine(study), ...tierVerdicts(study)],
  }));
}

/** The plain-text report `npm run sim -- --tier free,1,…` prints: a row per poller, a column per tier. */
export function renderTiersConsole(summary: TiersSummary): string {
  const { header, rows } = tiersTableRows(summary);
  const heading = tiersHeading(summary);
  const tiers = perTier(summary);
  const width = Math.max(...tiers.map((t) => t.label.length));
  return `${[
    `pollbench · ${heading.title}`,
    ...heading.lines,
    '',
    ...alignedTable(header, rows),
    '',
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
