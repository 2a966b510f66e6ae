import { beforeAll, describe, expect, test } from 'vitest';
import type { ChartSpec } from '../../reports/charts.ts';
import { tiersChartSpecs } from '../../reports/tiers-charts.ts';
import { summarizeTiers, type TiersSummary } from '../../reports/tiers-summary.ts';
import {
  renderTiersConsole,
  renderTiersMarkdown,
  tiersTableRows,
  tierTroubleRows,
} from '../../reports/tiers-table.ts';
import { tunedStudies } from '../../reports/tiers-tuning.ts';
import type { TunedSummary } from '../../reports/tuning.ts';
import { tuningLines } from '../../reports/tuning.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { tunePoller } from '../../sim/tune.ts';
import { parseTuneSpec } from '../../sim/tune-spec.ts';

/** A tier's bundled study, small, tuned as `sim --tier T --tune … --poller adaptive` would. */
const tune = (...args: string[]) =>
  tunePoller(
    configFromArgs([...args, '--poller', 'adaptive']),
    parseTuneSpec('fixed:interval=1s..60s'),
    [1, 2, 3],
    { gridPoints: 5, heldOutSeeds: [4, 5] },
  );

let studies: TunedSummary[];
let summary: TiersSummary;
beforeAll(async () => {
  studies = [
    await tune('--tier', 'free', '--jobs', '4'),
    await tune('--tier', '1', '--jobs', '6', '--workers', '3'),
  ];
  summary = summarizeTiers(['free', '1'], studies, { studyArgs: ['--tier', 'free,1'] });
}, 60_000);

describe('the table of a --tune search at several tiers', () => {
  test("has a row per tier: its best setting and that setting's figures, each from its own search", () => {
    expect(tunedStudies(summary)).toBe(studies);
    const { header, rows } = tiersTableRows(summary);
    expect(header).toEqual([
      'tier',
      'best interval',
      'with 429s',
      'efficiency mean',
      'worst',
      'requests/run',
      'nearest unsafe',
      'seeds 4–5',
      'adaptive',
    ]);
    expect(rows.map((r) => r[0])).toEqual(['free', 'tier 1']);
    for (const [i, study] of studies.entries()) {
      const row = rows[i] as string[];
      const best = study.pollers.find((p) => p.spec === study.tuning.best);
      expect(best, `tier ${summary.tiers[i]} found a best`).toBeDefined();
      if (best === undefined) continue;
      // The cell is the tuned value alone: the spec's `interval=` part, marked * at an end of the range.
      const cell = row[1]?.trim().replace(' !', '') ?? '';
      expect(best.spec).toBe(`fixed:interval=${cell.replace('*', '')}`);
      expect(cell.endsWith('*')).toBe(study.tuning.atEnd !== null);
      expect(row[2]).toBe(`${best.runsRateLimited}/3`);
      expect(row[3]).toBe(best.efficiency?.mean.toFixed(2));
      expect(row[5]).toBe(Math.round(best.requests.mean).toLocaleString('en-US'));
      expect(row[6]).toBe(
        study.tuning.nearestUnsafe === null ? '–' : study.tuning.nearestUnsafe.replace('fixed:interval=', ''),
      );
      expect(row[7]?.trim()).toBe(study.tuning.heldOut?.result.efficiency?.mean.toFixed(2));
      const adaptive = study.pollers.find((p) => p.spec === 'adaptive');
      expect(row[8]?.slice(0, 4)).toBe(adaptive?.efficiency?.mean.toFixed(2));
    }
    // The free tier's limit binds the seed program, so a setting below the best gets 429s there.
    expect(studies[0]?.tuning.nearestUnsafe).not.toBeNull();
  });

  test("under it, each tier's search and findings; no second table, and no row per setting tried", () => {
    expect(tierTroubleRows(summary).rows).toEqual([]);
    const text = renderTiersConsole(summary);
    expect(text).toMatch(/^pollbench · tuning fixed:interval=1s\.\.60s: tiers free, 1, each its own study/);
    for (const study of studies) for (const line of tuningLines(study)) expect(text).toContain(line);
    expect(text).not.toContain('What went wrong');
    expect(text).not.toMatch(/^fixed:interval=1s /m);
    const md = renderTiersMarkdown(summary, tiersChartSpecs(summary));
    expect(md).toContain('| tier | best interval | with 429s |');
    expect(md).toContain('Full report: [tier-1/seeds.md](tier-1/seeds.md)');
    expect(md).toContain('![Best interval by tier, tuning fixed:interval=1s..60s](tiers-best-interval.png)');
  });

  test("the charts draw each tier's best setting, its held-out result, the other pollers, and its value", () => {
    const [efficiency, interval, ...rest] = tiersChartSpecs(summary);
    expect(rest).toEqual([]);
    expect(efficiency?.file).toBe('tiers-efficiency.png');
    type Data = { datasets: { label: string; data: (number | null)[] }[] };
    const sets = ((efficiency as ChartSpec).config.data as Data).datasets;
    const bestOf = (s: TunedSummary) => s.pollers.find((p) => p.spec === s.tuning.best);
    expect(sets.map((d) => d.data)).toEqual([
      studies.map((s) => bestOf(s)?.efficiency?.mean),
      studies.map((s) => s.tuning.heldOut?.result.efficiency?.mean),
      studies.map((s) => s.pollers.find((p) => p.spec === 'adaptive')?.efficiency?.mean),
    ]);
    expect(interval?.file).toBe('tiers-best-interval.png');
    const seconds = studies.map(
      (s) => (s.tuning.tried.find((t) => t.spec === s.tuning.best)?.value ?? 0) / 1000,
    );
    expect(((interval as ChartSpec).config.data as Data).datasets[0]?.data).toEqual(seconds);
    // The axis spans the range searched, by ratio as the search spread it.
    expect(interval?.config.options).toMatchObject({
      scales: { y: { type: 'logarithmic', min: 1, max: 60 } },
    });
  });

  test('a best at an end of its range is marked *, and the legend says why; a best inside is not', async () => {
    // At tier 1 with few jobs, a longer interval only waits longer: the best is the range's low end.
    const config = configFromArgs(['--tier', '1', '--jobs', '6', '--workers', '3', '--poller', 'adaptive']);
    const low = await tunePoller(config, parseTuneSpec('fixed:interval=20s..60s,gap=0s..5s'), [1, 2], {
      gridPoints: 3,
      heldOutSeeds: [],
    });
    expect(low.tuning).toMatchObject({ atEnd: 'low', second: { atEnd: null } });
    const legend = '* after a best value at an end of its range: a wider range may do better.';
    const marked = summarizeTiers(['1'], [low]);
    expect(tiersTableRows(marked).rows[0]?.[1]?.trim()).toBe('20s*, 0s');
    expect(renderTiersConsole(marked)).toContain(legend);
    // The free tier's best of 1s..60s lies inside the range: alone, it is not marked, nor is the legend.
    expect(studies[0]?.tuning.atEnd).toBeNull();
    const inside = summarizeTiers(['free'], [studies[0] as TunedSummary]);
    expect(tiersTableRows(inside).rows[0]?.[1]).not.toContain('*');
    expect(renderTiersConsole(inside)).not.toContain(legend);
  }, 60_000);

  test('named values: the row names the best one, and only the range gets a chart of its best', async () => {
    const config = configFromArgs(['--tier', '1', '--jobs', '6', '--workers', '3']);
    const spec = parseTuneSpec('backoff:base=500ms..10s,jitter=none|equal');
    const tuned = await tunePoller(config, spec, [1, 2], {
      gridPoints: 3,
      refineRounds: 1,
      heldOutSeeds: [],
    });
    const best = tuned.tuning.tried.find((t) => t.spec === tuned.tuning.best);
    const jitter = ['none', 'equal'][best?.second as number] as string;
    expect(tuned.tuning.best).toContain(`,jitter=${jitter}`);
    const one = summarizeTiers(['1'], [tuned]);
    const { header, rows } = tiersTableRows(one);
    expect(header[1]?.trim()).toBe('best base, jitter');
    expect(rows[0]?.[1]?.trim()).toMatch(new RegExp(`^[0-9.]+m?s\\*?, ${jitter}$`));
    expect(tiersChartSpecs(one).map((c) => c.file)).toEqual(['tiers-efficiency.png', 'tiers-best-base.png']);
  }, 60_000);

  test('a tier where no setting finished every job shows none, and no bar', async () => {
    // Three workers on the free tier's 3 RPM: every interval in the range loses jobs.
    const lost = await tune('--tier', 'free', '--jobs', '6', '--workers', '3');
    expect(lost.tuning.best).toBeNull();
    const mixed = summarizeTiers(['free', '1'], [lost, studies[1] as TunedSummary]);
    const { header, rows } = tiersTableRows(mixed);
    // The held-out column comes from the tier that had a best to check.
    expect(header).toContain('seeds 4–5');
    expect(rows[0]?.slice(1, 8)).toEqual(['none', '–', '–', '–', '–', '–', '–']);
    expect(renderTiersConsole(mixed)).toContain(
      'No setting of interval in fixed:interval=1s..60s finished every job',
    );
    const [efficiency, interval] = tiersChartSpecs(mixed);
    type Data = { datasets: { data: (number | null)[] }[] };
    expect(((efficiency as ChartSpec).config.data as Data).datasets[0]?.data[0]).toBeNull();
    expect(((interval as ChartSpec).config.data as Data).datasets[0]?.data[0]).toBeNull();
  }, 60_000);
});
