import type { SimulationConfig } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

/** The preset of a tier with a smaller workload, for tests that must stay fast. */
export function smallPreset(
  tier: Parameters<typeof tierPreset>[0],
  seed: number,
  workload: Partial<SimulationConfig['workload']> = {},
): SimulationConfig {
  const base = tierPreset(tier, seed);
  return { ...base, workload: { ...base.workload, ...workload } };
}

/** Configs that exercise every flow, several clients, faults and missing headers. */
export function transportCases(): { name: string; config: SimulationConfig }[] {
  const free = tierPreset('free', 3);
  return [
    { name: 'seed article (free, assistants)', config: free },
    { name: 'tier 1 responses, 6 workers', config: smallPreset('1', 4, { workers: 6, jobs: 12 }) },
    {
      name: 'batch flow',
      config: {
        ...smallPreset('1', 5, { flow: 'batch', jobs: 2, workers: 2 }),
        pollers: ['fixed:interval=1m', 'backoff:base=10s', 'adaptive', 'sdk:interval=30s', 'oracle'].map(
          parsePollerSpec,
        ),
        horizonMs: 86_400_000,
      },
    },
    {
      name: 'three clients sharing one organization (free)',
      config: { ...free, seed: 6, workload: { ...free.workload, jobs: 3, clients: 3 } },
    },
    {
      name: 'faults and missing rate-limit headers',
      config: {
        ...smallPreset('1', 7, { workers: 4, jobs: 8 }),
        mock: {
          tier: '1',
          headers: { rateLimit: 'never', retryAfter: false },
          faults: { serverErrorRate: 0.05, overloadedRate: 0.03 },
        },
      },
    },
  ];
}
