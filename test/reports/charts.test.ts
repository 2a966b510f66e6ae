import { describe, expect, test } from 'vitest';
import { chartSpecs } from '../../reports/charts.ts';
import { pollerStyles } from '../../reports/palette.ts';
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
