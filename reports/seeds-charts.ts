import { type ChartSpec, efficiencyGoalLine, efficiencyOverSeedsOptions } from './charts.ts';
import { formatCounted } from './format.ts';
import { pollerStyles, RATE_LIMIT_RED } from './palette.ts';
import type { PollerAcrossSeeds, SeedsSummary } from './seeds-summary.ts';
import { tuningChartSpec } from './tuning-chart.ts';
import { rankAcrossSeeds } from './verdict.ts';

/**
 * Settings of a `--tune` study drawn in `seeds-efficiency.png` at most: a one-range search's (18 on the
 * tier-1 example) all fit, while the 118 or 199 of a search over two or three ranges made a chart no
 * one could read. Its tuning chart draws every one of them.
 */
export const MOST_TUNED_IN_CHART = 20;

/**
 * The charts of a study over several seeds. `seeds-efficiency.png`: per poller, the spread of its
 * efficiency from the worst seed to the best, the mean, and on how many seeds it got 429s. Listing one
 * poller several times with other settings makes it a tuning curve: each setting's speed next to its
 * risk of 429s. A `--tune` study's comes first: `tuning-curve.png`, the same figures by setting value,
 * or `tuning-map.png` over two parameters or three ({@link tuningChartSpec}).
 */
export function seedsChartSpecs(summary: SeedsSummary): ChartSpec[] {
  const { tuning } = summary;
  return [
    ...(tuning === undefined ? [] : [tuningChartSpec({ ...summary, tuning })]),
    efficiencyChart(summary),
  ];
}

/**
 * The rows `seeds-efficiency.png` draws, in the table's order: every one, but of a `--tune` study's
 * settings only the {@link MOST_TUNED_IN_CHART} best (as the line under the table ranks them, then by
 * mean efficiency), and how many settings there were when some are left out.
 */
export function chartedRows(summary: SeedsSummary): { rows: PollerAcrossSeeds[]; of?: number } {
  const tried = new Set(summary.tuning?.tried.map((t) => t.spec) ?? []);
  const settings = summary.pollers.filter((p) => tried.has(p.spec));
  if (settings.length <= MOST_TUNED_IN_CHART) return { rows: [...summary.pollers] };
  const ranked = rankAcrossSeeds({ pollers: settings });
  const rest = settings
    .filter((p) => !ranked.includes(p))
    .sort((a, b) => (b.efficiency?.mean ?? -1) - (a.efficiency?.mean ?? -1));
  const kept = new Set([...ranked, ...rest].slice(0, MOST_TUNED_IN_CHART));
  return {
    rows: summary.pollers.filter((p) => !tried.has(p.spec) || kept.has(p)),
    of: settings.length,
  };
}

function efficiencyChart(summary: SeedsSummary): ChartSpec {
  const { rows: pollers, of } = chartedRows(summary);
  const runs = summary.seeds.length;
  const colors = pollerStyles(pollers.map((p) => p.name)).map((style) => style.color);
  const highest = Math.max(...pollers.map((p) => p.efficiency?.max ?? 0));
  const best = of === undefined ? '' : `; the ${MOST_TUNED_IN_CHART} best of ${of} settings tried`;
  const title = `Efficiency over ${formatCounted(runs, 'seed')} (bar: worst to best seed, ● mean) and runs with 429s (×, right axis)${best}`;
  const options = efficiencyOverSeedsOptions(title, 'poller', runs, highest);
  // Drawn past the plot area's edge: a cross at 0 or at every run would otherwise be cut in half.
  const marker = { showLine: false, pointBorderWidth: 3, clip: false };
  return {
    file: 'seeds-efficiency.png',
    title,
    config: {
      type: 'bar',
      data: {
        labels: pollers.map((p) => p.spec),
        datasets: [
          {
            type: 'line',
            label: 'mean efficiency',
            data: pollers.map((p) => p.efficiency?.mean ?? null),
            ...marker,
            pointStyle: 'circle',
            pointRadius: 6,
            backgroundColor: '#000000',
            borderColor: '#000000',
            yAxisID: 'y',
          },
          {
            type: 'line',
            label: `runs with 429s, of ${runs}`,
            data: pollers.map((p) => p.runsRateLimited),
            ...marker,
            pointStyle: 'crossRot',
            pointRadius: 9,
            backgroundColor: RATE_LIMIT_RED,
            borderColor: RATE_LIMIT_RED,
            yAxisID: 'y1',
          },
          {
            type: 'line',
            ...efficiencyGoalLine(
              summary.efficiencyGoal,
              pollers.map(() => summary.efficiencyGoal),
            ),
          },
          {
            type: 'bar',
            label: 'efficiency, worst to best seed',
            // A floating bar; a poller as fast on every seed (the oracle) gets a thin one at its value.
            data: pollers.map((p) =>
              p.efficiency === null ? null : [p.efficiency.min - 0.002, p.efficiency.max + 0.002],
            ),
            backgroundColor: colors.map((c) => `${c}99`),
            borderColor: colors,
            borderWidth: 2,
            borderSkipped: false,
            pointStyle: 'rect',
            clip: false,
            yAxisID: 'y',
          },
        ],
      },
      options,
    },
  };
}
