import type { ChartSpec } from './charts.ts';
import { escapeHtml, htmlPage, htmlTable } from './html.ts';
import type { TiersSummary } from './tiers-summary.ts';
import {
  perTier,
  tierClientRows,
  tierReportFile,
  tiersHeading,
  tiersLegend,
  tiersTableRows,
  troubleSection,
} from './tiers-table.ts';

/**
 * `tiers.html`: what `tiers.md` holds (the matrix, the legend, each tier's study and best poller with a
 * link to its own report) as one self-contained page whose chart is interactive.
 */
export function renderTiersHtml(summary: TiersSummary, charts: readonly ChartSpec[]): string {
  const { header, rows } = tiersTableRows(summary);
  const heading = tiersHeading(summary);
  const clients = tierClientRows(summary);
  const tiers = perTier(summary)
    .map((t, i) => {
      const page = tierReportFile(summary, i, 'html');
      return `<h3>${escapeHtml(t.label)}</h3>
${t.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p>Full report: <a href="${escapeHtml(page)}">${escapeHtml(page)}</a></p>`;
    })
    .join('\n');
  return htmlPage(
    `pollbench by tier: ${heading.title}`,
    `${heading.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<h2>Result</h2>
${htmlTable(header, rows)}
<p>${escapeHtml(tiersLegend(summary))}</p>
${troubleSection(summary)((h, r) => [htmlTable(h, r, { id: 'trouble', left: 2 })])
  .filter((part) => part !== '')
  .map((part, i) => (i === 0 ? `<p>${escapeHtml(part)}</p>` : part))
  .join('\n')}
${clients === undefined ? '' : `<p>${escapeHtml(clients.title)}</p>\n${htmlTable(clients.header, clients.rows, { id: 'clients' })}\n`}<h2>Each tier</h2>
${tiers}`,
    charts,
  );
}
