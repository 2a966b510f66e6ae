import { describe, expect, test } from 'vitest';
import { runSimulation, simulatePoller } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('what the seed article reported, found (not assumed) on the free tier', () => {
  test("the seed program's fixed poller gets 429s, and the first falls within the first three files, for most seeds", async () => {
    const firsts: (number | null)[] = [];
    for (const seed of SEEDS) {
      const run = await simulatePoller(
        tierPreset('free', seed),
        parsePollerSpec('fixed:interval=10s,gap=20s'),
      );
      firsts.push(run.metrics.rateLimited > 0 ? run.metrics.firstRateLimitAtJob : null);
    }
    const got429 = firsts.filter((f) => f !== null).length;
    const early = firsts.filter((f) => f !== null && f <= 3).length;
    expect(got429 / SEEDS.length).toBeGreaterThan(0.5);
    expect(early / SEEDS.length).toBeGreaterThan(0.5);
  });
});

describe('adaptive and oracle on the single-client presets', () => {
  const presets = [tierPreset('free', 1), tierPreset('1', 1), tierPreset('2', 1), tierPreset('3', 1)];
  for (const preset of presets) {
    test(`${preset.scenario}: adaptive gets no rate-limit 429 and efficiency ≥ 0.9`, async () => {
      const result = await runSimulation({ ...preset, pollers: ['adaptive', 'oracle'].map(parsePollerSpec) });
      const adaptive = result.pollers.find((p) => p.name === 'adaptive');
      expect(adaptive?.metrics.rateLimited).toBe(0);
      expect(adaptive?.metrics.efficiency).toBeGreaterThanOrEqual(0.9);
    });
  }

  test('oracle is never beaten on requests or makespan by a poller that finished every job', async () => {
    for (const preset of [tierPreset('free', 2), tierPreset('1', 2)]) {
      const result = await runSimulation(preset);
      const oracle = result.pollers.find((p) => p.name === 'oracle');
      for (const run of result.pollers) {
        if (run.metrics.jobs.abandoned > 0 || oracle === undefined) continue;
        expect(run.metrics.requests, `${run.name} on ${preset.scenario}`).toBeGreaterThanOrEqual(
          oracle.metrics.requests,
        );
        expect(run.metrics.makespanMs, `${run.name} on ${preset.scenario}`).toBeGreaterThanOrEqual(
          oracle.metrics.makespanMs,
        );
      }
    }
  });
});
