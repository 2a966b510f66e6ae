import { type ChartSpec, common, tierBars } from './charts.ts';
import { formatCounted, formatSeedList } from './format.ts';
import { pollerStyles } from './palette.ts';
import type { PollerAcrossSeeds } from './seeds-summary.ts';
import { type TiersSummary, tierLabel } from './tiers-summary.ts';
import { heldOutSeeds, referenceSpecs } from './tiers-tuning.ts';
import { type TunedSummary, triedPoint, tuneAxes } from './tuning.ts';
import { tuningAxis } from './tuning-map.ts';

/**
 * The charts of `--tier LIST --tune SPEC`, a group of bars per tier. `tiers-efficiency.png`: the mean
 * efficiency of each tier's best setting over the seeds searched, on the held-out seeds, and of each
 * other poller given. `tiers-best-PARAM.png`, one per tuned range (none for named values): the best
 * setting's value at each tier, on an axis that spans the range searched (logarithmic when it was
 * searched by ratio). No bar where a tier found no best.
 */
export function tunedTiersChartSpecs(summary: TiersSummary, studies: readonly TunedSummary[]): ChartSpec[] {
  const [first] = studies as [TunedSummary];
  const labels = summary.tiers.map(tierLabel);
  const runs = (summary.seeds ?? []).length;
  const bestOf = (study: TunedSummary) => study.pollers.find((p) => p.spec === study.tuning.best);
  const mean = (row: PollerAcrossSeeds | undefined) => row?.efficiency?.mean ?? null;
  const references = [...new Set(studies.flatMap(referenceSpecs))];
  const colors = pollerStyles([
    first.tuning.poller,
    ...references.map((spec) => studies.flatMap((s) => s.pollers).find((p) => p.spec === spec)?.name ?? spec),
  ]).map((style) => style.color);
  const tuned = first.tuning.spec;
  const heldOut = heldOutSeeds(studies);
  const datasets = [
    tierBars(
      `best setting of ${tuned}`,
      studies.map((s) => mean(bestOf(s))),
      colors[0] as string,
    ),
    ...(heldOut === undefined
      ? []
      : [
          tierBars(
            `the same on seeds ${formatSeedList(heldOut)}, not searched`,
            studies.map((s) => mean(s.tuning.heldOut?.result)),
            colors[0] as string,
            '55',
          ),
        ]),
    ...references.map((spec, i) =>
      tierBars(
        spec,
        studies.map((s) => mean(s.pollers.find((p) => p.spec === spec))),
        colors[i + 1] as string,
      ),
    ),
  ];
  const highest = Math.max(1, ...datasets.flatMap((d) => d.data.map((v) => v ?? 0)));
  const title = `Efficiency by tier, tuning ${tuned} (mean over ${formatCounted(runs, 'seed')})`;
  const efficiency: ChartSpec = {
    file: 'tiers-efficiency.png',
    title,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: common(title, 'tier', 'efficiency (oracle makespan ÷ makespan)', {
        y: { min: 0, max: Math.ceil(highest * 10) / 10 },
      }),
    },
  };
  // A named value has no height for a bar: the tuned tiers table names each tier's.
  const values = tuneAxes(first.tuning).flatMap((axis, k) => {
    if (axis.kind === 'enum') return [];
    const { unit, title: yTitle, scale } = tuningAxis(axis);
    const data = studies.map((s) => {
      const tried = s.tuning.tried.find((t) => t.spec === s.tuning.best);
      return tried === undefined ? null : (unit(triedPoint(tried)[k] as number) as number);
    });
    const chartTitle = `Best ${axis.param} by tier, tuning ${tuned}`;
    const spec: ChartSpec = {
      file: `tiers-best-${axis.param}.png`,
      title: chartTitle,
      config: {
        type: 'bar',
        data: { labels, datasets: [tierBars(`best ${axis.param}`, data, colors[0] as string)] },
        options: withoutLegend(
          // The axis spans the range searched: a bar at its top or bottom is a best at its end.
          common(chartTitle, 'tier', yTitle, { y: { ...scale, min: unit(axis.low), max: unit(axis.high) } }),
        ),
      },
    };
    return [spec];
  });
  return [efficiency, ...values];
}

/** {@link common}'s options with no legend: a chart of one set of bars, which its title names. */
function withoutLegend(options: Record<string, unknown>): Record<string, unknown> {
  return { ...options, plugins: { ...(options.plugins as object), legend: { display: false } } };
}
