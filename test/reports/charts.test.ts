import { describe, expect, test } from 'vitest';
import { type ChartSpec, chartSpecs } from '../../reports/charts.ts';
import { pollerStyles } from '../../reports/palette.ts';
import { MOST_TUNED_IN_CHART, seedsChartSpecs } from '../../reports/seeds-charts.ts';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { summarize } from '../../reports/summary.ts';
import { unsafe } from '../../reports/tuning.ts';
import { tuningChartSpec } from '../../reports/tuning-chart.ts';
import { rankAcrossSeeds } from '../../reports/verdict.ts';
import { runSimulation } from '../../sim/engine.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { tunePoller } from '../../sim/tune.ts';
import { parseTuneSpec } from '../../sim/tune-spec.ts';
import { docsTunedSummary } from '../helpers/docs-summary.ts';

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

describe('the chart over seeds of a --tune study with many settings', () => {
  // docs/ holds the README's tuning examples as the current output (test/reports/golden.test.ts).
  test('draws the 20 best settings as the line under the table ranks them, and every other row', () => {
    const three = docsTunedSummary('tune-seed-3d');
    const chart = seedsChartSpecs(three).find((c) => c.file === 'seeds-efficiency.png') as ChartSpec;
    const labels = (chart.config.data as { labels: string[] }).labels;
    const tried = new Set(three.tuning.tried.map((t) => t.spec));
    const settings = three.pollers.filter((p) => tried.has(p.spec));
    expect(settings.length).toBeGreaterThan(MOST_TUNED_IN_CHART);
    const best = rankAcrossSeeds({ pollers: settings })
      .slice(0, MOST_TUNED_IN_CHART)
      .map((p) => p.spec);
    // In the table's order, then the --poller rows and the oracle.
    expect(labels).toEqual([
      ...settings.filter((p) => best.includes(p.spec)).map((p) => p.spec),
      'adaptive',
      'oracle',
    ]);
    expect(labels).toContain(three.tuning.best);
    expect(chart.title).toContain(`; the 20 best of ${settings.length} settings tried`);
  });

  test('a search with few settings is drawn whole', () => {
    const one = docsTunedSummary('tune-tier-1');
    const chart = seedsChartSpecs(one).find((c) => c.file === 'seeds-efficiency.png') as ChartSpec;
    expect((chart.config.data as { labels: string[] }).labels).toEqual(one.pollers.map((p) => p.spec));
    expect(chart.title).not.toContain('best of');
  });
});

describe('the chart of a --tune study', async () => {
  // Tier 1 with 24 jobs, 12 at a time: short intervals get 429s, long ones wait.
  const config = configFromArgs(['--tier', '1', '--jobs', '24', '--workers', '12', '--poller', 'adaptive']);
  const tuned = await tunePoller(config, parseTuneSpec('fixed:interval=250ms..20s'), [1, 2], {
    threads: 1,
    refineRounds: 1,
  });
  const chart = tuningChartSpec(tuned);
  type Point = { x: number; y: number | null };
  const datasets = (chart.config.data as { datasets: Record<string, unknown>[] }).datasets;
  const dataset = (label: string) => datasets.find((d) => String(d.label).startsWith(label));
  const settings = tuned.tuning.tried
    .map((t) => ({ seconds: t.value / 1000, row: tuned.pollers.find((p) => p.spec === t.spec) }))
    .sort((a, b) => a.seconds - b.seconds);

  test('each setting tried at its value, in seconds, with its mean, its band and its runs with 429s', () => {
    expect(chart.file).toBe('tuning-curve.png');
    const mean = dataset('mean efficiency')?.data as Point[];
    expect(mean).toEqual(settings.map(({ seconds, row }) => ({ x: seconds, y: row?.efficiency?.mean })));
    expect(dataset('efficiency on the best seed')?.data).toEqual(
      settings.map(({ seconds, row }) => ({ x: seconds, y: row?.efficiency?.max })),
    );
    expect(dataset('on the worst seed')?.data).toEqual(
      settings.map(({ seconds, row }) => ({ x: seconds, y: row?.efficiency?.min })),
    );
    expect(dataset('runs with 429s, of 2')?.data).toEqual(
      settings.map(({ seconds, row }) => ({ x: seconds, y: row?.runsRateLimited })),
    );
    // The settings that got 429s or lost jobs, and only those, are red crosses; here both kinds occur.
    const styles = dataset('mean efficiency')?.pointStyle as string[];
    expect(styles).toEqual(settings.map(({ row }) => (unsafe(row as never) ? 'crossRot' : 'circle')));
    expect(new Set(styles)).toEqual(new Set(['crossRot', 'circle']));
    // 250 ms to 20 s was spread by ratio, and so is the axis.
    expect((chart.config.options as { scales: { x: { type: string } } }).scales.x.type).toBe('logarithmic');
  });

  test('the best, its held-out result, and each --poller row as a level line', () => {
    const best = settings.find(({ row }) => row?.spec === tuned.tuning.best);
    expect(dataset('best: ')?.label).toBe(`best: ${tuned.tuning.best}`);
    expect(dataset('best: ')?.data).toEqual([{ x: best?.seconds, y: best?.row?.efficiency?.mean }]);
    const heldOut = tuned.tuning.heldOut?.result.efficiency?.mean as number;
    expect(dataset('the best on seeds 3–4, held out')?.data).toEqual([{ x: best?.seconds, y: heldOut }]);
    const adaptive = tuned.pollers.find((p) => p.name === 'adaptive');
    const level = dataset('adaptive: ')?.data as Point[];
    expect(level.map((p) => p.y)).toEqual([adaptive?.efficiency?.mean, adaptive?.efficiency?.mean]);
    expect(level.map((p) => p.x)).toEqual([settings[0]?.seconds, settings.at(-1)?.seconds]);
    expect(dataset('oracle')).toBeUndefined();
  });

  test('a range from zero is drawn on a linear axis', async () => {
    const fromZero = await tunePoller(config, parseTuneSpec('fixed:interval=0..4s'), [1], {
      threads: 1,
      refineRounds: 0,
      heldOutSeeds: [],
    });
    const spec = tuningChartSpec(fromZero);
    expect((spec.config.options as { scales: { x: { type: string } } }).scales.x.type).toBe('linear');
    expect(datasets.some((d) => String(d.label).includes('held out'))).toBe(true);
    const none = (spec.config.data as { datasets: { label: string }[] }).datasets;
    expect(none.some((d) => d.label.includes('held out'))).toBe(false);
  });
});

describe('the chart of a --tune study over two parameters', async () => {
  const config = configFromArgs(['--tier', '1', '--jobs', '24', '--workers', '12', '--poller', 'adaptive']);
  const tuned = await tunePoller(config, parseTuneSpec('fixed:interval=250ms..20s,gap=0s..10s'), [1, 2], {
    threads: 1,
    gridPoints: 3,
    refineRounds: 1,
  });
  const chart = tuningChartSpec(tuned);
  type Point = { x: number; y: number };
  const datasets = (chart.config.data as { datasets: Record<string, unknown>[] }).datasets;
  const points = (label: string) =>
    datasets.filter((d) => String(d.label).startsWith(label)).flatMap((d) => d.data as Point[]);
  const rowOf = (spec: string) => tuned.pollers.find((p) => p.spec === spec);
  const at = (t: { value: number; second?: number | undefined }) => ({
    x: t.value / 1000,
    y: (t.second ?? 0) / 1000,
  });

  test('a map: each setting tried once, at its two values, in the band of its mean efficiency', () => {
    expect(chart.file).toBe('tuning-map.png');
    expect(chart.config.type).toBe('scatter');
    const squares = points('mean efficiency');
    expect(squares).toHaveLength(tuned.tuning.tried.length);
    for (const t of tuned.tuning.tried) {
      const mean = rowOf(t.spec)?.efficiency?.mean as number;
      const band = datasets.find((d) => (d.data as Point[]).some((p) => p.x === at(t).x && p.y === at(t).y));
      const label = String(band?.label);
      const [from, to] = label.startsWith('mean efficiency ≥')
        ? [Number(label.split('≥ ')[1]), Number.POSITIVE_INFINITY]
        : label.startsWith('mean efficiency <')
          ? [Number.NEGATIVE_INFINITY, Number(label.split('< ')[1])]
          : (label.replace('mean efficiency ', '').split('–').map(Number) as [number, number]);
      expect(mean, t.spec).toBeGreaterThanOrEqual(from);
      expect(mean, t.spec).toBeLessThan(to);
    }
    // The 250 ms .. 20 s interval by ratio; the gap from zero, evenly.
    const scales = (chart.config.options as { scales: Record<string, { type: string }> }).scales;
    expect([scales.x?.type, scales.y?.type]).toEqual(['logarithmic', 'linear']);
  });

  test('a red cross on each setting that got 429s or lost a job, a star on the best, the --poller rows in the legend', () => {
    const unsafeOnes = tuned.tuning.tried.filter((t) => unsafe(rowOf(t.spec) as never));
    expect(unsafeOnes.length).toBeGreaterThan(0);
    expect(points('429s or jobs lost')).toEqual(unsafeOnes.map(at));
    const best = tuned.tuning.tried.find((t) => t.spec === tuned.tuning.best);
    expect(best).toBeDefined();
    expect(points('best: ')).toEqual([at(best as never)]);
    const heldOut = tuned.tuning.heldOut?.result.efficiency?.mean.toFixed(2);
    expect(datasets.find((d) => String(d.label).startsWith('best: '))?.label).toContain(
      `; on seeds 3–4, held out, ${heldOut} mean`,
    );
    const adaptive = tuned.pollers.find((p) => p.name === 'adaptive');
    expect(datasets.find((d) => String(d.label).startsWith('adaptive: '))?.label).toBe(
      `adaptive: ${adaptive?.efficiency?.mean.toFixed(2)} mean${unsafe(adaptive as never) ? ', with 429s or jobs lost' : ''}`,
    );
  });
});

describe('the chart of a --tune study over three parameters', async () => {
  const config = configFromArgs(['--tier', '1', '--jobs', '24', '--workers', '12']);
  const tuned = await tunePoller(
    config,
    parseTuneSpec('fixed:interval=250ms..20s,gap=0s..10s,retries=0..2'),
    [1, 2],
    { threads: 1, gridPoints: 3, refineRounds: 1, heldOutSeeds: [] },
  );
  const chart = tuningChartSpec(tuned);
  type Point = { x: number; y: number };
  const datasets = (chart.config.data as { datasets: Record<string, unknown>[] }).datasets;

  test('a map of the first two through the best: the settings at its third value, the others counted', () => {
    const best = tuned.tuning.tried.find((t) => t.spec === tuned.tuning.best);
    expect(best?.third).toBeDefined();
    const plane = tuned.tuning.tried.filter((t) => t.third === best?.third);
    expect(chart.file).toBe('tuning-map.png');
    expect(chart.title).toContain(`, at retries=${best?.third}: mean efficiency`);
    const squares = datasets
      .filter((d) => String(d.label).startsWith('mean efficiency'))
      .flatMap((d) => d.data as Point[]);
    expect(squares.toSorted((a, b) => a.x - b.x || a.y - b.y)).toEqual(
      plane
        .map((t) => ({ x: t.value / 1000, y: (t.second ?? 0) / 1000 }))
        .toSorted((a, b) => a.x - b.x || a.y - b.y),
    );
    const others = tuned.tuning.tried.length - plane.length;
    expect(others).toBeGreaterThan(0);
    expect(datasets.map((d) => d.label)).toContain(
      `${others} other settings tried at other values of retries: not on this map`,
    );
  });
});

describe('the chart of a --tune study over a range and named values', async () => {
  const config = configFromArgs(['--tier', '1', '--jobs', '24', '--workers', '12']);
  const options = { threads: 1, gridPoints: 3, refineRounds: 1, heldOutSeeds: [] };
  const tuned = await tunePoller(config, parseTuneSpec('backoff:base=250ms..10s,jitter=*'), [1, 2], options);
  const chart = tuningChartSpec(tuned);
  type Point = { x: number; y: number | string };
  const squaresOf = (spec: ChartSpec) =>
    (spec.config.data as { datasets: Record<string, unknown>[] }).datasets
      .filter((d) => String(d.label).startsWith('mean efficiency'))
      .flatMap((d) => d.data as Point[]);
  const jitters = ['none', 'full', 'equal', 'decorrelated'];

  test('a map with a place for each value by name, in the order given, each setting at its value', () => {
    expect(chart.file).toBe('tuning-map.png');
    const scales = (chart.config.options as { scales: Record<string, Record<string, unknown>> }).scales;
    expect(scales.y).toMatchObject({ type: 'category', labels: jitters, title: { text: 'jitter' } });
    const at = (t: { value: number; second?: number | undefined }) => ({
      x: t.value / 1000,
      y: jitters[t.second as number] as string,
    });
    const byPlace = (a: Point, b: Point) => a.x - b.x || String(a.y).localeCompare(String(b.y));
    expect(squaresOf(chart).toSorted(byPlace)).toEqual(tuned.tuning.tried.map(at).toSorted(byPlace));
  });

  test('with two ranges and named values, the map of the ranges at the best value', async () => {
    const three = await tunePoller(
      config,
      parseTuneSpec('backoff:base=250ms..10s,cap=10s..1m,jitter=full|equal'),
      [1, 2],
      { ...options, gridPoints: 2, refineRounds: 0 },
    );
    const best = three.tuning.tried.find((t) => t.spec === three.tuning.best);
    const map = tuningChartSpec(three);
    expect(map.title).toContain(`, at jitter=${['full', 'equal'][best?.third as number]}: mean efficiency`);
    expect(squaresOf(map)).toHaveLength(4);
  });
});
