import { beforeAll, describe, expect, test } from 'vitest';
import type { ChartSpec } from '../../reports/charts.ts';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { type Summary, summarize } from '../../reports/summary.ts';
import { tiersChartSpecs } from '../../reports/tiers-charts.ts';
import { renderTiersHtml } from '../../reports/tiers-html.ts';
import { summarizeTiers, type TiersSummary, TROUBLE_MARK } from '../../reports/tiers-summary.ts';
import {
  renderTiersConsole,
  renderTiersMarkdown,
  TROUBLE_TITLE,
  tierCell,
  tierClientRows,
  tierRowSpecs,
  tiersTableRows,
  tierTroubleRows,
} from '../../reports/tiers-table.ts';
import { verdictOfRun } from '../../reports/verdict.ts';
import { runSimulation } from '../../sim/engine.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';

/** A tier's bundled study, small, as `sim` would run it. */
const run = async (args: string[]) => summarize(await runSimulation(configFromArgs(args)), args);

let free: Summary;
let one: Summary;
let summary: TiersSummary;
beforeAll(async () => {
  free = await run(['--tier', 'free', '--jobs', '4']);
  one = await run(['--tier', '1', '--jobs', '12', '--workers', '6']);
  summary = summarizeTiers(['free', '1'], [free, one], { studyArgs: ['--tier', 'free,1'] });
});

describe('the table of a study at several tiers', () => {
  test('has a row for every poller any tier ran, once, each tier keeping its own order', () => {
    const rows = tierRowSpecs([free, one]);
    const specs = [free, one].map((s) => s.pollers.map((p) => p.spec));
    expect(new Set(rows)).toEqual(new Set(specs.flat()));
    expect(rows).toHaveLength(new Set(specs.flat()).size);
    for (const own of specs) expect(rows.filter((spec) => own.includes(spec))).toEqual(own);
    // Each tier's bundled study has its own fixed setting: both are rows, the free tier's first.
    expect(rows.slice(0, 2)).toEqual([specs[0]?.[0], specs[1]?.[0]]);
  });

  test("each cell is that tier's efficiency, marked where something went wrong there", () => {
    const { header, rows } = tiersTableRows(summary);
    expect(header).toEqual(['poller', 'free', 'tier 1']);
    let marked = 0;
    for (const [spec, ...cells] of rows)
      for (const [i, study] of [free, one].entries()) {
        const p = study.pollers.find((q) => q.spec === spec);
        const cell = cells[i] as string;
        if (p === undefined) {
          expect(cell).toBe('–');
          continue;
        }
        const wrong = p.rateLimited > 0 || p.jobs.abandoned > 0 || p.stopped !== null;
        expect(cell).toBe(`${p.efficiency?.toFixed(2)} ${wrong ? TROUBLE_MARK : ' '}`);
        if (wrong) marked++;
      }
    // The seed program's fixed poller gets 429s on the free tier: the case is covered, not assumed.
    expect(marked).toBeGreaterThan(0);
  });

  test('the second table counts, at every tier, what went wrong for each poller that went wrong somewhere', () => {
    const { header, rows } = tierTroubleRows(summary);
    expect(header).toEqual(['poller', '', 'free', 'tier 1']);
    const wentWrong = tierRowSpecs([free, one]).filter((spec) =>
      [free, one].some((s) => {
        const p = s.pollers.find((q) => q.spec === spec);
        return p !== undefined && (p.rateLimited > 0 || p.jobs.abandoned > 0 || p.stopped !== null);
      }),
    );
    expect(rows.map((r) => r[0]).filter((spec) => spec !== '')).toEqual(wentWrong);
    let spec = '';
    for (const [first, kind, ...cells] of rows) {
      spec = first === '' ? spec : (first as string);
      for (const [i, study] of [free, one].entries()) {
        const p = study.pollers.find((q) => q.spec === spec);
        const expected =
          p === undefined
            ? '–'
            : kind === '429s'
              ? p.rateLimited.toLocaleString('en-US')
              : kind === 'jobs abandoned'
                ? p.jobs.abandoned.toLocaleString('en-US')
                : p.stopped === null
                  ? 'no'
                  : 'yes';
        expect(cells[i], `${spec} ${kind} at ${header[i + 2]}`).toBe(expected);
      }
    }
    expect(rows.some((r) => r[1] === '429s')).toBe(true);
    const text = renderTiersConsole(summary);
    expect(text).toContain(`${TROUBLE_TITLE}\n`);
    // A study where nothing went wrong has no second table.
    const calm = (s: Summary): Summary => ({
      ...s,
      pollers: s.pollers.filter((p) => p.rateLimited === 0 && p.jobs.abandoned === 0 && p.stopped === null),
    });
    const clean = summarizeTiers(['free', '1'], [calm(free), calm(one)]);
    expect(tierTroubleRows(clean).rows).toEqual([]);
    expect(renderTiersConsole(clean)).not.toContain(TROUBLE_TITLE);
    expect(renderTiersConsole(clean)).not.toContain(` ${TROUBLE_MARK}`);
  });

  test('across seeds, a cell is the mean efficiency, and the second table on how many runs 429s came', async () => {
    const args = ['--tier', 'free', '--jobs', '4'];
    const config = configFromArgs(args);
    const runs = await Promise.all(
      [1, 2].map(async (seed) => summarize(await runSimulation({ ...config, seed }))),
    );
    const across = summarizeSeeds(runs);
    for (const p of across.pollers) {
      const cell = tierCell(p);
      expect(cell.slice(0, 4)).toBe(p.efficiency?.mean.toFixed(2));
      expect(cell.endsWith(TROUBLE_MARK)).toBe(
        p.runsRateLimited > 0 || p.jobs.abandoned > 0 || p.runsCut > 0,
      );
    }
    expect(across.pollers.some((p) => p.runsRateLimited > 0)).toBe(true);
    const both = summarizeTiers(['free', '2'], [across, across]);
    expect(both.seeds).toEqual([1, 2]);
    expect(renderTiersConsole(both)).toContain('seeds 1–2 · fast transport');
    const limited = tierTroubleRows(both).rows.filter((r) => r[1] === 'runs with 429s');
    expect(limited.length).toBe(across.pollers.filter((p) => p.runsRateLimited > 0).length);
    for (const row of limited) {
      const p = across.pollers.find((q) => q.spec === row[0]);
      expect(row.slice(2)).toEqual([`${p?.runsRateLimited}/2`, `${p?.runsRateLimited}/2`]);
    }
  });

  test("under the table, each tier's study and the line naming its best poller", () => {
    const text = renderTiersConsole(summary);
    for (const study of [free, one]) {
      expect(text).toContain(verdictOfRun(study, { check: false })[0]);
      expect(text).toContain(`${study.scenario} · ${study.limitsSubject}: `);
    }
    expect(text).toContain('At one seed: --seeds 1-10 checks each tier over ten.');
    const md = renderTiersMarkdown(summary, tiersChartSpecs(summary));
    expect(md).toContain('Full report: [tier-free/report.md](tier-free/report.md)');
    expect(md).toContain('![Efficiency by tier](tiers-efficiency.png)');
  });

  test("the charts draw each poller's efficiency and 429s at each tier, none where it did not run", () => {
    const [efficiency, limits] = tiersChartSpecs(summary);
    type Data = { datasets: { label: string; data: (number | null)[] }[] };
    const sets = (chart: typeof efficiency) => ((chart as ChartSpec).config.data as Data).datasets;
    for (const set of sets(efficiency))
      expect(set.data).toEqual(
        [free, one].map((s) => s.pollers.find((p) => p.spec === set.label)?.efficiency ?? null),
      );
    for (const set of sets(limits))
      expect(set.data).toEqual(
        [free, one].map((s) => {
          const n = s.pollers.find((p) => p.spec === set.label)?.rateLimited;
          return n === undefined || n === 0 ? null : n;
        }),
      );
  });

  test('with several clients, a third table gives the last client over the first at each tier, from each run or its seeds', async () => {
    // One table, so the plain text, Markdown and HTML can each be checked for it.
    expect(tierClientRows(summary)).toBeUndefined();
    expect(renderTiersConsole(summary)).not.toContain('Per client');
    const specs = ['--poller', 'adaptive', '--poller', 'adaptive:clients=2', '--poller', 'oracle'];
    const twoFree = await run(['--tier', 'free', '--jobs', '3', '--clients', '2', ...specs]);
    const twoOne = await run(['--tier', '1', '--jobs', '12', '--workers', '6', '--clients', '2', ...specs]);
    const config = configFromArgs([
      '--tier',
      '1',
      '--jobs',
      '12',
      '--workers',
      '6',
      '--clients',
      '2',
      ...specs,
    ]);
    const seeds = summarizeSeeds(
      await Promise.all([1, 2].map(async (seed) => summarize(await runSimulation({ ...config, seed })))),
    );
    const spreadOf = (study: Summary, spec: string) => {
      const makespans = study.pollers.find((p) => p.spec === spec)?.byClient?.map((c) => c.makespanMs) ?? [];
      return (Math.round((Math.max(...makespans) / Math.min(...makespans)) * 1000) / 1000).toFixed(2);
    };
    const both = summarizeTiers(['free', '1'], [twoFree, twoOne]);
    const table = tierClientRows(both);
    expect(table?.header).toEqual(['per client', 'free', 'tier 1']);
    expect(table?.title).toContain('Per client (2 clients)');
    expect(table?.rows.map((r) => r[0])).toEqual(['adaptive', 'adaptive:clients=2', 'oracle']);
    for (const [spec, ...cells] of table?.rows ?? [])
      expect(cells).toEqual([spreadOf(twoFree, spec as string), spreadOf(twoOne, spec as string)]);
    // Some spread is there to show: the cells are not all 1.00.
    expect(table?.rows.flat().some((c) => /^\d/.test(c) && c !== '1.00')).toBe(true);
    // Over seeds, the mean of the seeds' spreads; a tier of one client shows none.
    const mixed = tierClientRows(summarizeTiers(['1', 'free'], [seeds, seeds]));
    for (const [spec, ...cells] of mixed?.rows ?? []) {
      const mean = seeds.pollers.find((p) => p.spec === spec)?.clients?.lastOverFirst.mean;
      expect(cells).toEqual([mean?.toFixed(2), mean?.toFixed(2)]);
    }
    expect(mixed?.title).toContain('the mean over the seeds');
    const withOne = tierClientRows(summarizeTiers(['free', '1'], [twoFree, one]));
    expect(withOne?.rows.find((r) => r[0] === 'oracle')?.[2]).toBe('–');
    expect(renderTiersConsole(both)).toContain(table?.title);
    expect(renderTiersMarkdown(both, [])).toContain(`| ${table?.rows[0]?.join(' | ')} |`);
    expect(renderTiersHtml(both, [])).toContain('<table id="clients">');
  });

  test('a document needs one study per tier', () => {
    expect(() => summarizeTiers(['free', '1'], [free])).toThrow('2 tiers for 1 studies');
  });
});
