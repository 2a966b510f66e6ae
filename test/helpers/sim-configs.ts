import type { SimulationConfig } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { bundledScenarioNames, loadScenario } from '../../sim/scenario-file.ts';

/** The preset of a tier with a smaller workload, for tests that must stay fast. */
export function smallPreset(
  tier: Parameters<typeof tierPreset>[0],
  seed: number,
  workload: Partial<SimulationConfig['workload']> = {},
): SimulationConfig {
  const base = tierPreset(tier, seed);
  return { ...base, seed, workload: { ...base.workload, ...workload } };
}

/**
 * `sim` flags of a small tier-1 study where short intervals get 429s and long ones wait: 24 jobs, 12 at
 * a time. A `--tune` over it takes well under a second.
 */
export const SMALL_TIER_1_FLAGS: readonly string[] = ['--tier', '1', '--jobs', '24', '--workers', '12'];

/**
 * Every bundled scenario, scaled to at most 8 workers and 16 jobs per client so the real SDK can run
 * them in seconds: limits, flows, server settings, clients and pollers are the scenario's own. With
 * `POLLBENCH_FULL_SIZE=1` in the environment, at their full size (about 430,000 requests in each
 * transport, 140 s on two cores here: for a release, not for every run).
 */
export function transportCases(): { name: string; config: SimulationConfig }[] {
  return bundledScenarioNames().map((name) => {
    const config = loadScenario(name);
    if (process.env.POLLBENCH_FULL_SIZE === '1') return { name, config };
    const workers = Math.min(config.workload.workers, 8);
    return {
      name,
      config: {
        ...config,
        workload: { ...config.workload, workers, jobs: Math.min(config.workload.jobs, 2 * workers, 16) },
      },
    };
  });
}
