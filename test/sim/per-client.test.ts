import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { renderConsole } from '../../reports/console-table.ts';
import { renderHtml } from '../../reports/html.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { renderSeedsHtml } from '../../reports/seeds-html.ts';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { renderSeedsConsole, renderSeedsMarkdown } from '../../reports/seeds-table.ts';
import { summarize } from '../../reports/summary.ts';
import { jsonSchemas, readReportDocument } from '../../reports/summary-schema.ts';
import { summaryJson } from '../../reports/write-report.ts';
import { runSimulation, type SimulationConfig } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

const SPECS = ['adaptive', 'adaptive:clients=3', 'fixed:interval=10s,gap=20s', 'oracle'];
const sharedOrg = (transport: 'fast' | 'sdk' = 'fast') => ({
  ...loadScenario('shared-org'),
  seed: 1,
  transport,
  pollers: SPECS.map(parsePollerSpec),
});

// The README's "Several processes on one organization": the per-client table under the main one.
describe('byClient: each client of a run with several', () => {
  test('adds up to the totals, client by client, for every poller', async () => {
    const result = await runSimulation(sharedOrg());
    for (const run of result.pollers) {
      const m = run.metrics;
      const clients = m.byClient ?? [];
      expect(
        clients.map((c) => c.client),
        run.name,
      ).toEqual([0, 1, 2]);
      const sum = (f: (c: (typeof clients)[number]) => number) => clients.reduce((a, c) => a + f(c), 0);
      expect(
        sum((c) => c.requests),
        run.name,
      ).toBe(m.requests);
      expect(
        sum((c) => c.rateLimited),
        run.name,
      ).toBe(m.rateLimited);
      expect(
        sum((c) => c.jobs.completed),
        run.name,
      ).toBe(m.jobs.completed);
      expect(
        sum((c) => c.jobs.failed),
        run.name,
      ).toBe(m.jobs.failed);
      expect(
        sum((c) => c.jobs.abandoned),
        run.name,
      ).toBe(m.jobs.abandoned);
      expect(Math.max(...clients.map((c) => c.makespanMs)), run.name).toBe(m.makespanMs);
      // Each client's own outcomes: five files each.
      for (const c of clients) expect(c.jobs.completed + c.jobs.failed + c.jobs.abandoned).toBe(5);
    }
  });

  test('shows what the totals hide: plain adaptive finishes its clients further apart than adaptive:clients=3', async () => {
    const [adaptive, told] = (await runSimulation(sharedOrg())).pollers;
    const spread = (clients: readonly { makespanMs: number }[] = []) =>
      Math.max(...clients.map((c) => c.makespanMs)) - Math.min(...clients.map((c) => c.makespanMs));
    expect(spread(adaptive?.metrics.byClient)).toBeGreaterThan(2 * spread(told?.metrics.byClient));
  });

  test('the SDK transport gives the same figures, client for client', async () => {
    const [fast, sdk] = await Promise.all([runSimulation(sharedOrg()), runSimulation(sharedOrg('sdk'))]);
    for (const p of fast.pollers) expect(p.metrics.byClient, p.name).toHaveLength(3);
    expect(sdk.pollers.map((p) => p.metrics.byClient)).toEqual(fast.pollers.map((p) => p.metrics.byClient));
  });

  test('a run of one client has none, and its reports no per-client table', async () => {
    const summary = summarize(await runSimulation(loadScenario('seed-article')));
    for (const p of summary.pollers) expect(p).not.toHaveProperty('byClient');
    expect(renderConsole(summary)).not.toContain('Per client');
    expect(renderMarkdown(summary, [])).not.toContain('Per client');
    expect(renderHtml(summary, [])).not.toContain('id="clients"');
  });

  test('every report shows the table; summary.json keeps it and passes its schema', async () => {
    const summary = summarize(await runSimulation(sharedOrg()));
    const text = renderConsole(summary);
    expect(text).toContain('Per client (3 clients)');
    const adaptive = summary.pollers[0]?.byClient ?? [];
    const first = Math.min(...adaptive.map((c) => c.makespanMs));
    // The row names the poller, and its first client's makespan as the main table writes durations.
    const row = text.split('\n').find((line) => line.startsWith('adaptive ') && !line.includes('/'));
    expect(row).toMatch(new RegExp(`^adaptive\\s+${Math.floor(first / 60_000)}m`));
    expect(renderMarkdown(summary, [])).toContain('| per client | makespan first | last |');
    expect(renderHtml(summary, [])).toContain('<table id="clients">');
    const json = JSON.parse(summaryJson(summary));
    const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(jsonSchemas().summary);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const read = readReportDocument('summary.json', json);
    expect('pollers' in read && read.pollers[0]).toHaveProperty('byClient', adaptive);
    json.pollers[0].byClient[0].requests = -1;
    expect(validate(json)).toBe(false);
  });
});

describe('across seeds: the first and the last client of each run', () => {
  const study = async (config: SimulationConfig, seeds: number[]) =>
    summarizeSeeds(
      await Promise.all(seeds.map(async (seed) => summarize(await runSimulation({ ...config, seed })))),
    );

  test("every seed's first and last client, their spread, and the table in every report", async () => {
    const seeds = [1, 2, 3];
    const summary = await study(sharedOrg(), seeds);
    const runs = await Promise.all(seeds.map((seed) => runSimulation({ ...sharedOrg(), seed })));
    summary.pollers.forEach((poller, i) => {
      const ratios: number[] = [];
      poller.perSeed.forEach((row, s) => {
        const makespans = (runs[s]?.pollers[i]?.metrics.byClient ?? []).map((c) => c.makespanMs);
        expect(row.clientMakespanMs, poller.spec).toEqual({
          first: Math.min(...makespans),
          last: Math.max(...makespans),
        });
        ratios.push(Math.max(...makespans) / Math.min(...makespans));
      });
      expect(poller.clients?.lastOverFirst.max, poller.spec).toBeCloseTo(Math.max(...ratios), 3);
      expect(poller.clients?.lastOverFirst.min, poller.spec).toBeCloseTo(Math.min(...ratios), 3);
    });
    const adaptive = summary.pollers.find((p) => p.spec === 'adaptive');
    const told = summary.pollers.find((p) => p.spec === 'adaptive:clients=3');
    expect(adaptive?.clients?.lastOverFirst.mean).toBeGreaterThan(
      told?.clients?.lastOverFirst.mean as number,
    );
    expect(renderSeedsConsole(summary)).toContain('Per client (3 clients), over the seeds');
    expect(renderSeedsMarkdown(summary, [])).toContain('| per client | makespan first p50 |');
    expect(renderSeedsHtml(summary, [])).toContain('<table id="clients">');
    const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(jsonSchemas().seeds);
    const json = JSON.parse(summaryJson(summary));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    json.pollers[0].clients.lastOverFirst = 2;
    expect(validate(json)).toBe(false);
  });

  test('one client: no per-client figures and no table', async () => {
    const summary = await study(
      { ...loadScenario('seed-article'), pollers: [parsePollerSpec('oracle')] } as never,
      [1, 2],
    );
    expect(summary.pollers[0]).not.toHaveProperty('clients');
    expect(summary.pollers[0]?.perSeed[0]).not.toHaveProperty('clientMakespanMs');
    expect(renderSeedsConsole(summary)).not.toContain('Per client');
  });
});
