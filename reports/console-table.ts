import { formatCount, formatCounted, formatDuration, formatLimits } from './format.ts';
import type { Summary } from './summary.ts';
import { verdictOfRun } from './verdict.ts';

/** What efficiency means, wherever it is shown. */
export const EFFICIENCY_LEGEND =
  'Efficiency = oracle makespan ÷ makespan (the oracle knows when jobs finish and the budget, and polls once).';

/** What the table's derived columns mean, printed under it in every format. */
export const TABLE_LEGEND = `${EFFICIENCY_LEGEND} Wasted = 429s + the other polls that did not see the job end (still running, or failed). Detection delay = the poll that saw a terminal status minus the moment the job became terminal.`;

/** Column headers and cells of the poller table, shared by the console and Markdown renderers. */
export function tableRows(summary: Summary): { header: string[]; rows: string[][] } {
  const header = [
    'poller',
    'requests',
    '429s',
    'errors',
    'done/failed/abandoned',
    'makespan',
    'jobs/min',
    'detect p50',
    'p95',
    'max',
    'polls/job',
    'wasted',
    'efficiency',
  ];
  const rows = summary.pollers.map((p) => [
    p.spec,
    formatCount(p.requests),
    formatCount(p.rateLimited),
    formatCount(p.errors),
    `${p.jobs.completed}/${p.jobs.failed}/${p.jobs.abandoned}`,
    `${formatDuration(p.makespanMs)}${p.stopped === null ? '' : ' (cut)'}`,
    p.throughputPerMin.toFixed(2),
    formatDuration(p.detectionDelayMs.p50),
    formatDuration(p.detectionDelayMs.p95),
    formatDuration(p.detectionDelayMs.max),
    p.pollsPerJob.toFixed(2),
    formatCount(p.wastedRequests),
    p.efficiency === null ? '–' : p.efficiency.toFixed(2),
  ]);
  return { header, rows };
}

/**
 * The per-client table of a run with several clients: for each poller, the client that finished first
 * and the one that finished last, and the fewest and the most requests and 429s of one client. Undefined
 * when no poller ran with more than one client. The totals of the main table cannot tell copies that
 * shared the budget from one that waited while the others took it.
 */
export function clientRows(
  summary: Pick<Summary, 'pollers'>,
): { title: string; header: string[]; rows: string[][] } | undefined {
  const shared = summary.pollers.filter((p) => (p.byClient?.length ?? 0) > 1);
  const first = shared[0]?.byClient;
  if (first === undefined) return undefined;
  const header = ['per client', 'makespan first', 'last', 'requests min', 'max', '429s min', 'max'];
  const rows = shared.map((p) => {
    const clients = p.byClient ?? [];
    const min = (f: (c: (typeof clients)[number]) => number) => Math.min(...clients.map(f));
    const max = (f: (c: (typeof clients)[number]) => number) => Math.max(...clients.map(f));
    return [
      p.spec,
      formatDuration(min((c) => c.makespanMs)),
      formatDuration(max((c) => c.makespanMs)),
      formatCount(min((c) => c.requests)),
      formatCount(max((c) => c.requests)),
      formatCount(min((c) => c.rateLimited)),
      formatCount(max((c) => c.rateLimited)),
    ];
  });
  const title = `Per client (${formatCount(first.length)} clients): the makespan of the first and the last to finish its jobs, and the fewest and the most requests and 429s of any one.`;
  return { title, header, rows };
}

/**
 * A table under its title line, in `render`'s format (plain text or Markdown), a blank line after each;
 * nothing when there is no table (the per-client tables of a run with one client).
 */
export function titledTable(
  table: { title: string; header: string[]; rows: string[][] } | undefined,
  render: (header: string[], rows: string[][]) => string[],
): string[] {
  return table === undefined ? [] : [table.title, '', ...render(table.header, table.rows), ''];
}

/** The study under a report's title: the limits in force, and the workload with `seeds` (which seed or seeds ran). */
export function studyLines(
  study: Pick<Summary, 'tier' | 'limitsSubject' | 'limits' | 'limitsSource' | 'workload' | 'transport'>,
  seeds: string,
): string[] {
  const w = study.workload;
  return [
    `tier ${study.tier} · ${study.limitsSubject}: ${formatLimits(study.limits)} (${study.limitsSource.source}, as of ${study.limitsSource.asOf})`,
    `${w.flow} flow · ${formatCounted(w.jobs, 'job')} × ${formatCounted(w.clients, 'client')} · ${formatCounted(w.workers, 'worker')} each · arrivals ${w.arrival} · ${seeds} · ${study.transport} transport`,
  ];
}

/**
 * A plain-text table: the first `left` columns (default 1) left-aligned, the others right-aligned, a
 * rule under the header.
 */
export function alignedTable(header: readonly string[], rows: readonly string[][], left = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < left ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((n) => '-'.repeat(n))), ...rows.map(line)];
}

/** The plain-text report `npm run sim` prints: a heading and one row per poller. */
export function renderConsole(summary: Summary): string {
  const { header, rows } = tableRows(summary);
  const out = [
    `pollbench · ${summary.scenario} — ${summary.description}`,
    ...studyLines(summary, `seed ${summary.seed}`),
    '',
    ...alignedTable(header, rows),
    '',
    ...verdictOfRun(summary).flatMap((line) => [line, '']),
    ...titledTable(clientRows(summary), alignedTable),
    TABLE_LEGEND,
  ];
  out.push(...cutShort(summary));
  return `${out.join('\n')}\n`;
}

/** A line for each poller whose run was cut short, saying why (every report prints them). */
export function cutShort(summary: Summary): string[] {
  return summary.pollers
    .filter((p) => p.stopped !== null)
    .map((p) => `${p.name} was cut short: ${p.stopped}`);
}
