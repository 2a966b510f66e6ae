import { type ChartSpec, common } from './charts.ts';
import { formatCounted, formatSeedList } from './format.ts';
import { BEST_STAR, RATE_LIMIT_RED } from './palette.ts';
import type { PollerAcrossSeeds } from './seeds-summary.ts';
import {
  formatSetting,
  meanInLegend,
  spreadByRatio,
  type TuneAxis,
  type TunedSummary,
  unsafe,
} from './tuning.ts';

/**
 * Bands of mean efficiency, best first, and their colours: a sequential blue (darker is better), which
 * reads without telling hues apart. The bands are fixed, not fitted to the study, so maps compare.
 */
const BANDS: readonly { readonly from: number; readonly color: string }[] = [
  { from: 0.95, color: '#08519C' },
  { from: 0.9, color: '#3182BD' },
  { from: 0.8, color: '#6BAED6' },
  { from: 0.7, color: '#9ECAE1' },
  { from: Number.NEGATIVE_INFINITY, color: '#DEEBF7' },
];

/**
 * How a tuned parameter is drawn on a chart's axis: a value in its axis's unit (seconds for a duration),
 * the axis's title, and its scale (by ratio when the grid was spread by ratio). Named values are drawn
 * by name, one place each, in the order listed.
 */
export function tuningAxis(of: TuneAxis): {
  unit: (value: number) => number | string;
  title: string;
  scale: Record<string, unknown> & { type: 'logarithmic' | 'linear' | 'category' };
} {
  if (of.kind === 'enum') {
    const labels = [...(of.values ?? [])];
    return {
      unit: (value) => labels[value] ?? String(value),
      title: of.param,
      // Room around the first and last name, so that their squares are not cut in half.
      scale: { type: 'category', labels, offset: true },
    };
  }
  const seconds = of.kind === 'duration';
  const ratio = spreadByRatio(of);
  return {
    unit: (value) => (seconds ? value / 1000 : value),
    title: `${of.param}${seconds ? ' (seconds)' : ''}${ratio ? ', by ratio' : ''}`,
    scale: { type: ratio ? 'logarithmic' : 'linear' },
  };
}

/**
 * The chart of a `--tune` study over two parameters (`tuning-map.png`): each setting tried as a square at
 * its two values, shaded by its mean efficiency over the seeds (a band a shade), a red cross over those
 * that got a 429 or lost a job on some seed, and a star on the best. The first grid reads as a lattice,
 * the refining rounds as the finer squares around the local bests. The held-out result and the
 * `--poller` rows beside the search are in the legend. Every figure is from the summary. With three
 * parameters, the plane of the first two through the best setting: the settings tried at its third
 * value, and how many at others, in the legend.
 */
export function tuningMapSpec(summary: TunedSummary, second: TuneAxis): ChartSpec {
  const { tuning } = summary;
  const bySpec = new Map(summary.pollers.map((p) => [p.spec, p]));
  const plane = mapPlane(summary);
  const all = tuning.tried.flatMap((t) => {
    const row = bySpec.get(t.spec);
    return row === undefined ? [] : [{ value: t.value, second: t.second ?? 0, third: t.third, row }];
  });
  const settings = plane === undefined ? all : all.filter((s) => s.third === plane.value);
  const [ax, ay] = [tuningAxis(tuning), tuningAxis(second)];
  const point = (s: { value: number; second: number }) => ({ x: ax.unit(s.value), y: ay.unit(s.second) });
  const mean = (row: PollerAcrossSeeds) => row.efficiency?.mean ?? Number.NEGATIVE_INFINITY;
  const runs = summary.seeds.length;

  const at = plane === undefined ? '' : `, at ${plane.axis.param}=${formatSetting(plane.axis, plane.value)}`;
  const title = `${tuning.spec} over ${formatCounted(runs, 'seed')}${at}: mean efficiency of each setting tried (red ×: 429s)`;
  const options = common(title, ax.title, ay.title, { x: ax.scale, y: ay.scale });
  (options.plugins as { legend: Record<string, unknown> }).legend.labels = { usePointStyle: true };

  const datasets: Record<string, unknown>[] = BANDS.flatMap((band, i) => {
    const upTo = BANDS[i - 1]?.from;
    const inBand = settings.filter(
      ({ row }) => mean(row) >= band.from && (upTo === undefined || mean(row) < upTo),
    );
    if (inBand.length === 0) return [];
    const range =
      upTo === undefined
        ? `≥ ${band.from}`
        : band.from === Number.NEGATIVE_INFINITY
          ? `< ${upTo}`
          : `${band.from}–${upTo}`;
    return [
      {
        label: `mean efficiency ${range}`,
        data: inBand.map(point),
        showLine: false,
        pointStyle: 'rect',
        pointRadius: 9,
        backgroundColor: band.color,
        borderColor: '#FFFFFF',
        borderWidth: 1,
        // Chart.js draws a higher order first: the squares under the crosses and the star.
        order: 2,
      },
    ];
  });
  const failed = settings.filter(({ row }) => unsafe(row));
  if (failed.length > 0)
    datasets.push({
      label: '429s or jobs lost on some seed',
      data: failed.map(point),
      showLine: false,
      pointStyle: 'crossRot',
      pointRadius: 9,
      borderWidth: 3,
      borderColor: RATE_LIMIT_RED,
      backgroundColor: RATE_LIMIT_RED,
      order: 1,
    });
  const best = settings.find(({ row }) => row.spec === tuning.best);
  if (best !== undefined) {
    const held =
      tuning.heldOut === null || tuning.heldOut.result.efficiency === null
        ? ''
        : `; on seeds ${formatSeedList(tuning.heldOut.seeds)}, held out, ${meanInLegend(tuning.heldOut.result)}`;
    datasets.push({
      label: `best: ${best.row.spec}, ${meanInLegend(best.row)}${held}`,
      data: [point(best)],
      ...BEST_STAR,
      order: 0,
    });
  }
  // The --poller rows have no place on the map: the legend gives their figure to compare the shades with.
  const tried = new Set(tuning.tried.map((t) => t.spec));
  for (const p of summary.pollers) {
    if (tried.has(p.spec) || p.name === 'oracle' || p.efficiency === null) continue;
    datasets.push({
      label: `${p.spec}: ${meanInLegend(p)}`,
      data: [],
      pointStyle: 'line',
      borderColor: '#000000',
      order: 3,
    });
  }
  if (plane !== undefined && all.length > settings.length)
    datasets.push({
      label: `${formatCounted(all.length - settings.length, 'other setting')} tried at other values of ${plane.axis.param}: not on this map`,
      data: [],
      pointStyle: 'line',
      borderColor: '#FFFFFF',
      order: 4,
    });
  return { file: 'tuning-map.png', title, config: { type: 'scatter', data: { datasets }, options } };
}

/**
 * With three parameters tuned, the plane a map of the first two shows: the third's value at the best
 * setting, or, with no best, the value the most settings were tried at (the lowest of a tie).
 */
function mapPlane(summary: TunedSummary): { axis: TuneAxis; value: number } | undefined {
  const { tuning } = summary;
  if (tuning.third === undefined) return undefined;
  const best = tuning.tried.find((t) => t.spec === tuning.best)?.third;
  const counts = new Map<number, number>();
  for (const t of tuning.tried)
    if (t.third !== undefined) counts.set(t.third, (counts.get(t.third) ?? 0) + 1);
  const busiest = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  const value = best ?? busiest;
  return value === undefined ? undefined : { axis: tuning.third, value };
}
