import { describe, expect, test } from 'vitest';
import { chartSpecs } from '../../reports/charts.ts';
import { pollerStyles } from '../../reports/palette.ts';
import { seedsChartSpecs } from '../../reports/seeds-charts.ts';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { summarize } from '../../reports/summary.ts';
import { runSimulation } from '../../sim/engine.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';

describe('poller styles', () => {
  test('variants of one poller keep its hue family but differ in shade, dash and shape', () => {
    const styles = pollerStyles(['fixed', 'fixed', 'adaptive', 'fixed', 'mine', 'other', 'mine']);
    const [fixed, fixed2, adaptive, fixed3, mine, other, mine2] = styles;
    expect(fixed?.color).toBe('#D55E00');
    expect(adaptive?.color).toBe('#009E73');
    expect(new Set([fixed, fixed2, fixed3].map((s) => s?.color)).size).toBe(3);
    expect(new Set([fixed, fixed2, fixed3].map((s) => JSON.stringify(s?.dash))).size).toBe(3);
    expect(new Set([fixed, fixed2, fixed3].map((s) => s?.point)).size).toBe(3);
    // Pollers of your own get the extra hues by first appearance; their variants shade that hue.
    expect(mine?.color).toBe('#56B4E9');
    expect(other?.color).toBe('#F0E442');
    expect(mine2?.color).not.toBe(mine?.color);
    expect(mine2?.dash).toEqual(fixed2?.dash);
    // The first of each poller is drawn solid, with round points.
    expect([fixed, adaptive, mine, other].map((s) => [s?.dash.length, s?.point])).toEqual(
      Array(4).fill([0, 'circle']),
    );
  });
});

describe('charts', async () => {
  const summary = summarize(
    await runSimulation(
      configFromArgs([
        '--tier',
        '1',
        '--poller',
        'fixed:interval=2s',
        '--poller',
        'fixed:interval=10s',
        '--poller',
        'oracle',
      ]),
    ),
  );
  const charts = chartSpecs(summary);
  const datasetsOf = (file: string) =>
    (charts.find((c) => c.file === file)?.config.data as { datasets: Record<string, unknown>[] } | undefined)
      ?.datasets ?? [];

  test('two intervals of one poller get two labels and two looks in every chart', () => {
    expect(summary.pollers.map((p) => p.spec)).toEqual(['fixed:interval=2s', 'fixed:interval=10s', 'oracle']);
    for (const file of ['requests-per-minute.png', 'detection-delay-cdf.png']) {
      const [a, b] = datasetsOf(file);
      expect([a?.label, b?.label], file).toEqual(['fixed:interval=2s', 'fixed:interval=10s']);
      expect(a?.borderColor, file).not.toBe(b?.borderColor);
      expect(a?.borderDash, file).not.toEqual(b?.borderDash);
    }
  });

  test('each minute of the run is drawn over its own span, from m to m + 1 minutes, 429s in its middle', () => {
    const [fast] = summary.pollers;
    const counted = fast?.perMinute.counted ?? [];
    const limited = fast?.perMinute.rateLimited ?? [];
    expect(
      limited.some((n) => n > 0),
      'the 2 s loop is rate limited at tier 1',
    ).toBe(true);
    const [line, , , marks] = datasetsOf('requests-per-minute.png');
    // A 'before' step holds each point's value until the next point.
    expect(line?.stepped).toBe('before');
    const points = line?.data as { x: number; y: number }[];
    for (const [m, n] of counted.entries()) expect(points[m]).toEqual({ x: m, y: n });
    expect(points.at(-1)?.x).toBe(Math.max(...summary.pollers.map((p) => p.perMinute.counted.length)));
    expect(marks?.label).toBe('429s · fixed:interval=2s');
    expect(((marks?.data ?? []) as { x: number }[]).map((p) => p.x)).toEqual(
      limited.flatMap((n, m) => (n > 0 ? [m + 0.5] : [])),
    );
  });
});

describe('the chart of a study over seeds', async () => {
  const study = ['--tier', '1', '--poller', 'fixed:interval=2s', '--poller', 'fixed:interval=4s'];
  const runs = [];
  for (const seed of ['1', '2', '3'])
    runs.push(summarize(await runSimulation(configFromArgs([...study, '--seed', seed]))));
  const seeds = summarizeSeeds(runs);
  const [chart] = seedsChartSpecs(seeds);
  const data = chart?.config.data as { labels: string[]; datasets: Record<string, unknown>[] };
  const dataset = (label: string) => data.datasets.find((d) => String(d.label).startsWith(label))?.data;

  test('one column per poller, with its efficiency range, its mean and its runs with 429s', () => {
    expect(chart?.file).toBe('seeds-efficiency.png');
    expect(data.labels).toEqual(['fixed:interval=2s', 'fixed:interval=4s', 'oracle']);
    const ranges = dataset('efficiency, worst') as [number, number][];
    seeds.pollers.forEach((p, i) => {
      const [low, high] = ranges[i] as [number, number];
      // Widened a hair, so that a poller as fast on every seed still shows a bar.
      expect(low).toBeCloseTo(p.efficiency?.min as number, 2);
      expect(high).toBeCloseTo(p.efficiency?.max as number, 2);
    });
    expect(dataset('mean efficiency')).toEqual(seeds.pollers.map((p) => p.efficiency?.mean));
    expect(dataset('runs with 429s')).toEqual(seeds.pollers.map((p) => p.runsRateLimited));
    // 2 s is rate limited at tier 1 on these seeds, 4 s is not: the chart shows what the study found.
    expect(dataset('runs with 429s')).toEqual([3, 0, 0]);
    expect(dataset('efficiency goal')).toEqual([0.9, 0.9, 0.9]);
  });
});
