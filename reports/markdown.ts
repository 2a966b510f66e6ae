import type { ChartSpec } from './charts.ts';
import { clientRows, cutShort, TABLE_LEGEND, tableRows, titledTable } from './console-table.ts';
import { formatCount, formatCounted, formatLimits } from './format.ts';
import { readResult } from './reading.ts';
import { rerunOf, type Summary } from './summary.ts';

/** A Markdown table: the first `left` columns (default 1) left-aligned, the others right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly string[][], left = 1): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < left ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
}

/** `report.md`: the scenario, the poller table, a plain-words reading, and the charts. */
export function renderMarkdown(summary: Summary, charts: readonly ChartSpec[]): string {
  const { header, rows } = tableRows(summary);
  const w = summary.workload;
  const rerun = rerunOf(summary, summary.seed);
  const lines = [
    `# pollbench report: ${summary.scenario}`,
    '',
    summary.description,
    '',
    '| | |',
    '| --- | --- |',
    `| tier | ${summary.tier} |`,
    `| model | ${summary.model} |`,
    `| limits | ${summary.limitsSubject === summary.model ? '' : `${summary.limitsSubject}: `}${formatLimits(summary.limits)} (${summary.limitsSource.source}; as of ${summary.limitsSource.asOf}) |`,
    `| workload | ${w.flow} flow, ${formatCounted(w.jobs, 'job')} × ${formatCounted(w.clients, 'client')}, ${formatCount(w.workers)} at a time each, arrivals ${w.arrival} |`,
    `| seed | ${summary.seed}${rerun === undefined ? '' : ` (re-run: \`${rerun.replace(/\|/g, '\\|')}\`)`} |`,
    `| transport | ${summary.transport} |`,
    `| pollbench | ${summary.pollbenchVersion} |`,
    '',
    '## Result',
    '',
    ...markdownTable(header, rows),
    '',
    ...titledTable(clientRows(summary), markdownTable),
    TABLE_LEGEND,
    '',
    ...cutShort(summary).flatMap((line) => [line, '']),
    '## Reading',
    '',
    ...readResult(summary).flatMap((p) => [p, '']),
    '## Charts',
    '',
    ...charts.flatMap((c) => [`### ${c.title}`, '', `![${c.title}](${c.file})`, '']),
    `Every figure here is computed from simulated traffic and comes from \`summary.json\`; \`npm run report -- summary.json\` re-renders this report from it.`,
    '',
  ];
  return lines.join('\n');
}
