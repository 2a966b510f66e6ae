import { type ChartSpec, common, tierBars } from './charts.ts';
import { formatCounted } from './format.ts';
import { pollerStyles } from './palette.ts';
import type { SeedsSummary } from './seeds-summary.ts';
import type { Summary } from './summary.ts';
import { type TiersSummary, tierLabel } from './tiers-summary.ts';
import { rowEfficiency, rowRateLimited, rowsAcrossTiers, type TierRow, tierRowSpecs } from './tiers-table.ts';
import { tunedStudies } from './tiers-tuning.ts';
import { tunedTiersChartSpecs } from './tiers-tuning-charts.ts';

/**
 * The charts of a study at several tiers, a group of bars per tier and one colour per poller as in
 * every other chart (a poller a tier did not run has no bar in its group). `tiers-efficiency.png`: each
 * poller's efficiency at each tier (over seeds, its mean). `tiers-429s.png`: its rate-limit 429s there
 * (over seeds, on how many runs it got any), on a logarithmic axis for one run, since they range from
 * a few at the free tier to thousands at tier 5. With `--tune`, {@link tunedTiersChartSpecs}' instead.
 */
export function tiersChartSpecs(summary: TiersSummary): ChartSpec[] {
  const tuned = tunedStudies(summary);
  if (tuned !== undefined) return tunedTiersChartSpecs(summary, tuned);
  const studies = summary.studies as readonly (Summary | SeedsSummary)[];
  const specs = tierRowSpecs(studies);
  const rowsOf = (spec: string) => rowsAcrossTiers(studies, spec);
  const names = specs.map((spec) => rowsOf(spec).find((p) => p !== undefined)?.name ?? spec);
  const colors = pollerStyles(names).map((style) => style.color);
  const runs = summary.seeds?.length;
  const bars = (value: (p: TierRow) => number | null) =>
    specs.map((spec, i) =>
      tierBars(
        spec,
        rowsOf(spec).map((p) => (p === undefined ? null : value(p))),
        colors[i] as string,
      ),
    );
  const chart = (file: string, title: string, yTitle: string, datasets: unknown[], y: object) => ({
    file,
    title,
    config: {
      type: 'bar',
      data: { labels: summary.tiers.map(tierLabel), datasets },
      options: common(title, 'tier', yTitle, { y }),
    },
  });
  const highest = Math.max(
    1,
    ...specs.flatMap((spec) => rowsOf(spec).map((p) => (p && rowEfficiency(p)) ?? 0)),
  );
  const counts = specs.flatMap((spec) => rowsOf(spec).map((p) => (p === undefined ? 0 : rowRateLimited(p))));
  return [
    chart(
      'tiers-efficiency.png',
      `Efficiency by tier${runs === undefined ? '' : ` (mean over ${formatCounted(runs, 'seed')})`}`,
      'efficiency (oracle makespan ÷ makespan)',
      bars(rowEfficiency),
      { min: 0, max: Math.ceil(highest * 10) / 10 },
    ),
    runs === undefined
      ? chart(
          'tiers-429s.png',
          'Rate-limit 429s by tier (no bar: none)',
          'rate-limit 429s (logarithmic)',
          // Zero has no place on a logarithmic axis: no bar says none.
          bars((p) => (rowRateLimited(p) === 0 ? null : rowRateLimited(p))),
          // Headroom to the next power of ten, so that the tallest bar does not touch the title.
          { type: 'logarithmic', min: 1, max: 10 ** Math.ceil(Math.log10(Math.max(10, ...counts))) },
        )
      : chart(
          'tiers-429s.png',
          `Runs with rate-limit 429s by tier, of ${runs}`,
          `runs with 429s, of ${runs}`,
          bars(rowRateLimited),
          { min: 0, max: runs, ticks: { precision: 0 } },
        ),
  ];
}
