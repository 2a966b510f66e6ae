import { type ChartSpec, efficiencyGoalLine, efficiencyOverSeedsOptions } from './charts.ts';
import { formatCounted, formatSeedList } from './format.ts';
import { BEST_STAR, pollerStyles, RATE_LIMIT_RED } from './palette.ts';
import type { PollerAcrossSeeds } from './seeds-summary.ts';
import { meanInLegend, type TunedSummary, unsafe } from './tuning.ts';
import { tuningAxis, tuningMapSpec } from './tuning-map.ts';

/**
 * The chart of a `--tune` study (`tuning-curve.png`): each setting tried at its value on the x axis
 * (by ratio when the grid was spread by ratio), its mean efficiency over the seeds, the band from its
 * worst seed to its best, and on how many seeds it got 429s (right axis). A setting that got a 429 or
 * lost a job is drawn as a red cross, so the edge reads off the curve. The best setting, its result on
 * the held-out seeds, the `--poller` rows beside it (each a level line) and the efficiency goal are
 * drawn over it. Every figure is from the summary. With two parameters tuned or three, the map of the
 * settings instead ({@link tuningMapSpec}).
 */
export function tuningChartSpec(summary: TunedSummary): ChartSpec {
  const { tuning } = summary;
  if (tuning.second !== undefined) return tuningMapSpec(summary, tuning.second);
  const bySpec = new Map(summary.pollers.map((p) => [p.spec, p]));
  const settings = tuning.tried
    .map((t) => ({ value: t.value, row: bySpec.get(t.spec) as PollerAcrossSeeds }))
    .filter(({ row }) => row !== undefined)
    .sort((a, b) => a.value - b.value);
  const tried = new Set(tuning.tried.map((t) => t.spec));
  const references = summary.pollers.filter((p) => !tried.has(p.spec) && p.name !== 'oracle');
  const axis = tuningAxis(tuning);
  const x = axis.unit;
  const runs = summary.seeds.length;
  const at = (pick: (row: PollerAcrossSeeds) => number | null) =>
    settings.map(({ value, row }) => ({ x: x(value), y: pick(row) }));
  const ends = [x(settings[0]?.value ?? tuning.low), x(settings.at(-1)?.value ?? tuning.high)];
  const level = (y: number) => ends.map((end) => ({ x: end, y }));

  const title = `${tuning.spec} over ${formatCounted(runs, 'seed')}: mean efficiency by setting (band: worst to best seed; red ×: 429s)`;
  const highest = Math.max(...settings.map((s) => s.row.efficiency?.max ?? 0));
  const options = efficiencyOverSeedsOptions(title, axis.title, runs, highest, axis.scale);

  const color = pollerStyles([tuning.poller])[0]?.color ?? '#000000';
  const safe = settings.map(({ row }) => !unsafe(row));
  const best = settings.find(({ row }) => row.spec === tuning.best);
  const datasets: Record<string, unknown>[] = [
    {
      label: 'efficiency on the best seed',
      data: at((row) => row.efficiency?.max ?? null),
      borderColor: `${color}66`,
      borderWidth: 1,
      pointRadius: 0,
      pointStyle: 'line',
      yAxisID: 'y',
    },
    {
      label: 'on the worst seed (band: between the two)',
      data: at((row) => row.efficiency?.min ?? null),
      borderColor: `${color}66`,
      backgroundColor: `${color}33`,
      borderWidth: 1,
      pointRadius: 0,
      pointStyle: 'rect',
      fill: '-1',
      yAxisID: 'y',
    },
    {
      label: 'mean efficiency (red ×: 429s or jobs lost on some seed)',
      data: at((row) => row.efficiency?.mean ?? null),
      borderColor: color,
      borderWidth: 2,
      pointStyle: safe.map((ok) => (ok ? 'circle' : 'crossRot')),
      pointRadius: safe.map((ok) => (ok ? 4 : 8)),
      pointBorderWidth: safe.map((ok) => (ok ? 1 : 3)),
      pointBackgroundColor: safe.map((ok) => (ok ? color : RATE_LIMIT_RED)),
      pointBorderColor: safe.map((ok) => (ok ? color : RATE_LIMIT_RED)),
      yAxisID: 'y',
    },
    {
      label: `runs with 429s, of ${runs}`,
      data: at((row) => row.runsRateLimited),
      showLine: false,
      pointStyle: 'triangle',
      pointRadius: 5,
      backgroundColor: `${RATE_LIMIT_RED}99`,
      borderColor: RATE_LIMIT_RED,
      clip: false,
      yAxisID: 'y1',
    },
  ];
  if (best !== undefined) {
    datasets.push({
      label: `best: ${best.row.spec}`,
      data: [{ x: x(best.value), y: best.row.efficiency?.mean ?? null }],
      ...BEST_STAR,
      yAxisID: 'y',
    });
    const heldOut = tuning.heldOut;
    if (heldOut !== null && heldOut.result.efficiency !== null)
      datasets.push({
        label: `the best on seeds ${formatSeedList(heldOut.seeds)}, held out: ${meanInLegend(heldOut.result)}`,
        data: [{ x: x(best.value), y: heldOut.result.efficiency.mean }],
        showLine: false,
        pointStyle: 'rectRot',
        pointRadius: 9,
        pointBorderWidth: 2,
        borderColor: unsafe(heldOut.result) ? RATE_LIMIT_RED : '#000000',
        backgroundColor: '#FFFFFF',
        yAxisID: 'y',
      });
  }
  const styles = pollerStyles(references.map((p) => p.name));
  references.forEach((p, i) => {
    if (p.efficiency === null) return;
    datasets.push({
      label: `${p.spec}: ${meanInLegend(p)}`,
      data: level(p.efficiency.mean),
      borderColor: styles[i]?.color,
      borderDash: [12, 4],
      borderWidth: 2,
      pointRadius: 0,
      pointStyle: 'line',
      yAxisID: 'y',
    });
  });
  datasets.push(efficiencyGoalLine(summary.efficiencyGoal, level(summary.efficiencyGoal)));
  return { file: 'tuning-curve.png', title, config: { type: 'line', data: { datasets }, options } };
}
