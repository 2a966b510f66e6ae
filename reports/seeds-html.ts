import type { ChartSpec } from './charts.ts';
import { escapeHtml, htmlPage, htmlTable } from './html.ts';
import type { SeedsSummary } from './seeds-summary.ts';
import { seedsClientRows, seedsTableRows, seedsWords } from './seeds-table.ts';

/**
 * `seeds.html`: what `seeds.md` holds (the study, the across-seeds table, a tuning's findings, the line
 * naming the best row, the legend, how to re-run one seed) as one self-contained page whose charts are
 * interactive: a point of the tuning curve or a bar shows its figures under the pointer.
 */
export function renderSeedsHtml(summary: SeedsSummary, charts: readonly ChartSpec[]): string {
  const { header, rows } = seedsTableRows(summary);
  const clients = seedsClientRows(summary);
  // The re-run line's own words hold nothing to escape; its commands are escaped inside <code>.
  const words = seedsWords(summary, (text) => `<code>${escapeHtml(text)}</code>`);
  return htmlPage(
    `pollbench across seeds: ${summary.scenario}`,
    `<p>${escapeHtml(summary.description)}</p>
<ul>
${words.above.map((line) => `<li>${escapeHtml(line)}</li>`).join('\n')}
</ul>
<h2>Result</h2>
${htmlTable(header, rows)}
${words.under.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>\n')}</p>`).join('\n')}
${clients === undefined ? '' : `<p>${escapeHtml(clients.title)}</p>\n${htmlTable(clients.header, clients.rows, { id: 'clients' })}\n`}<p>${escapeHtml(words.legend)}</p>
<p>${words.rerun}</p>`,
    charts,
  );
}
