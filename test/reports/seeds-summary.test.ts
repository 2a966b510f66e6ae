import { max, mean, median, min } from 'simple-statistics';
import { describe, expect, test } from 'vitest';
import { formatSeedList } from '../../reports/format.ts';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { renderSeedsConsole, renderSeedsMarkdown } from '../../reports/seeds-table.ts';
import { type Summary, summarize } from '../../reports/summary.ts';
import { runSimulation } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

const SEEDS = [4, 1, 2, 3];
const study = {
  ...tierPreset('free', 1),
  pollers: ['fixed:interval=10s,gap=20s', 'adaptive', 'oracle'].map(parsePollerSpec),
};
const summaries: Summary[] = [];
for (const seed of SEEDS) summaries.push(summarize(await runSimulation({ ...study, seed })));
const across = summarizeSeeds(summaries);

describe('a study over several seeds', () => {
  test('keeps the study, the seeds in the order run, and the pollers in the order given', () => {
    expect(across).toMatchObject({
      schema: 'pollbench/seeds@1',
      scenario: 'seed-article',
      tier: 'free',
      model: 'gpt-3.5-turbo',
      seeds: SEEDS,
      efficiencyGoal: 0.9,
    });
    expect(across.pollers.map((p) => p.spec)).toEqual(summaries[0]?.pollers.map((p) => p.spec));
  });

  test("each seed's figures are that seed's own run, and the spreads are computed from them", () => {
    across.pollers.forEach((poller, i) => {
      const runs = summaries.map((s) => s.pollers[i]);
      expect(poller.perSeed.map((r) => r.seed)).toEqual(SEEDS);
      expect(poller.perSeed.map((r) => r.requests)).toEqual(runs.map((r) => r?.requests));
      expect(poller.perSeed.map((r) => r.efficiency)).toEqual(runs.map((r) => r?.efficiency));
      const makespans = runs.map((r) => r?.makespanMs as number);
      expect(poller.makespanMs).toEqual({
        mean: Math.round(mean(makespans) * 10_000) / 10_000,
        p50: median(makespans),
        min: min(makespans),
        max: max(makespans),
      });
      expect(poller.runs).toBe(SEEDS.length);
      expect(poller.runsRateLimited).toBe(runs.filter((r) => (r?.rateLimited ?? 0) > 0).length);
      expect(poller.jobs.completed + poller.jobs.failed + poller.jobs.abandoned).toBe(
        SEEDS.length * study.workload.jobs,
      );
    });
  });

  test('the seed program gets 429s on most seeds, early; adaptive and the oracle get none', () => {
    const [fixed, adaptive, oracle] = across.pollers;
    expect(fixed?.runsRateLimited).toBeGreaterThan(SEEDS.length / 2);
    expect(fixed?.firstRateLimitAtJob?.p50).toBeLessThanOrEqual(3);
    expect(adaptive?.runsRateLimited).toBe(0);
    expect(adaptive?.firstRateLimitAtJob).toBeNull();
    expect(oracle?.efficiency).toMatchObject({ min: 1, max: 1 });
  });

  test('the table shows every poller and the seeds as ranges', () => {
    const text = renderSeedsConsole(across);
    expect(text).toContain('seeds 4, 1–3');
    for (const p of across.pollers)
      expect(text).toMatch(new RegExp(`^${p.spec}\\s+${p.runsRateLimited}/4\\s`, 'm'));
    expect(renderSeedsMarkdown(across, [])).toContain(`| adaptive | 0/4 |`);
  });

  test('a run counted below the goal never shows as meeting it', () => {
    const low = structuredClone(across);
    const adaptive = low.pollers[1] as { efficiency: { min: number } | null };
    adaptive.efficiency = { ...(adaptive.efficiency as { min: number }), min: 0.8996 };
    expect(renderSeedsConsole(low)).toMatch(/^adaptive\s.*\s0\.89\s+\d+\/4$/m);
  });

  test('refuses summaries of different studies', () => {
    const renamed = { ...(summaries[1] as Summary), scenario: 'other' };
    expect(() => summarizeSeeds([summaries[0] as Summary, renamed])).toThrow('ran another study');
    expect(() => summarizeSeeds([])).toThrow('no runs');
  });
});

test('seed lists read as ranges', () => {
  expect(formatSeedList([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7–8');
  expect(formatSeedList([3, 2, 1])).toBe('3, 2, 1');
  expect(formatSeedList([0])).toBe('0');
});

test('runs cut at the horizon are counted and shown, and their efficiency is unknown', async () => {
  const cut = { ...study, horizonMs: 300_000 };
  const runs = [
    summarize(await runSimulation({ ...cut, seed: 1 })),
    summarize(await runSimulation({ ...cut, seed: 2 })),
  ];
  const across = summarizeSeeds(runs);
  const oracle = across.pollers.find((p) => p.name === 'oracle');
  expect(oracle?.runsCut).toBe(2);
  expect(oracle?.efficiency).toBeNull();
  expect(oracle?.jobs.abandoned).toBeGreaterThan(0);
  expect(renderSeedsConsole(across)).toMatch(/^oracle\s.*\(2 cut\)\s+–\s+–\s+–\s+–$/m);
});
