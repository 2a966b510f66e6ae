import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartSpec } from './charts.ts';
import { clientRows, cutShort, TABLE_LEGEND, tableRows } from './console-table.ts';
import { formatCount, formatCounted, formatLimits } from './format.ts';
import { readResult } from './reading.ts';
import { rerunOf, type Summary } from './summary.ts';

const require = createRequire(import.meta.url);

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const markdownBold = (text: string) => escapeHtml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');

/**
 * `report.html`: one self-contained file (Chart.js inlined, data embedded, no network) with the same
 * charts, interactive, and the tables. Opens from disk in any browser.
 */
export function renderHtml(summary: Summary, charts: readonly ChartSpec[]): string {
  const { header, rows } = tableRows(summary);
  const w = summary.workload;
  const rerun = rerunOf(summary, summary.seed);
  const clients = clientRows(summary);
  return htmlPage(
    `pollbench report: ${summary.scenario}`,
    `<p>${escapeHtml(summary.description)}</p>
<table>
<tr><th>tier</th><td>${escapeHtml(summary.tier)}</td></tr>
<tr><th>model</th><td>${escapeHtml(summary.model)}</td></tr>
<tr><th>limits</th><td>${escapeHtml(`${summary.limitsSubject === summary.model ? '' : `${summary.limitsSubject}: `}${formatLimits(summary.limits)}`)} (${escapeHtml(summary.limitsSource.source)}; as of ${escapeHtml(summary.limitsSource.asOf)})</td></tr>
<tr><th>workload</th><td>${escapeHtml(`${w.flow} flow, ${formatCounted(w.jobs, 'job')} × ${formatCounted(w.clients, 'client')}, ${formatCount(w.workers)} at a time each, arrivals ${w.arrival}`)}</td></tr>
<tr><th>seed</th><td>${summary.seed}${rerun === undefined ? '' : ` (re-run: <code>${escapeHtml(rerun)}</code>)`}</td></tr>
<tr><th>transport</th><td>${escapeHtml(summary.transport)}</td></tr>
<tr><th>pollbench</th><td>${escapeHtml(summary.pollbenchVersion)}</td></tr>
</table>
<h2>Result</h2>
${htmlTable(header, rows)}
${clients === undefined ? '' : `<p>${escapeHtml(clients.title)}</p>\n${htmlTable(clients.header, clients.rows, { id: 'clients' })}\n`}<p>${escapeHtml(TABLE_LEGEND)}</p>
${cutShort(summary)
  .map((line) => `<p>${escapeHtml(line)}</p>\n`)
  .join('')}<h2>Reading</h2>
${readResult(summary)
  .map((p) => `<p>${markdownBold(p)}</p>`)
  .join('\n')}`,
    charts,
  );
}

/**
 * A table, scrolled sideways if need be: the first `left` columns (default 1: the poller's) as text, the
 * others as right-aligned figures. `id` defaults to `result`, the page's main table.
 */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  { id = 'result', left = 1 }: { id?: string; left?: number } = {},
): string {
  return `<div style="overflow-x: auto">
<table id="${id}">
<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>
${rows.map((r) => `<tr>${r.map((c, i) => `<td${i < left ? '' : ' class="n"'}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}
</table>
</div>`;
}

/**
 * A self-contained page (Chart.js inlined, data embedded, no network): `title` as its heading, `body`
 * (HTML), then each chart, drawn from its config in the browser. `data-charts-rendered` on the body
 * counts the charts drawn, for a test to wait on.
 */
export function htmlPage(title: string, body: string, charts: readonly ChartSpec[]): string {
  // The UMD build is not in chart.js's `exports`; it sits beside the CommonJS entry.
  const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  // JSON inside a <script> must not close it early.
  const data = JSON.stringify(charts.map((c) => c.config)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }
  table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
  th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  /* Fifteen columns: compact enough to fit the page beside the charts, not behind a scrollbar. */
  #result { font-size: 0.82rem; }
  #result th, #result td { padding: 0.25rem 0.4rem; }
  #result td:first-child { white-space: nowrap; }
  .chart { margin: 2rem 0; }
  canvas { max-width: 100%; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
<h2>Charts</h2>
${charts.map((c, i) => `<div class="chart"><canvas id="chart-${i}" width="1000" height="560" aria-label="${escapeHtml(c.title)}"></canvas></div>`).join('\n')}
<script>${chartJs}</script>
<script>
  const configs = ${data};
  configs.forEach((config, i) => new Chart(document.getElementById('chart-' + i), config));
  document.body.dataset.chartsRendered = String(configs.length);
</script>
</body>
</html>
`;
}
