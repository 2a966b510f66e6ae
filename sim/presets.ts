import type { Tier } from '../src/server/limits/tier-tables.ts';
import type { SimulationConfig } from './engine.ts';
import { loadScenario } from './scenario-file.ts';

/** The bundled scenario that `--tier` runs: the seed article on free, `tier-N` otherwise. */
export function tierScenarioName(tier: Tier): string {
  return tier === 'free' ? 'seed-article' : `tier-${tier}`;
}

/**
 * The default study of a tier, from its bundled scenario file. Free: the seed article's program. Tiers
 * 1–5: Responses background jobs on gpt-4.1, with enough concurrent workers that the docs' 2 s loop asks
 * for about twice the tier's RPM, so the limit binds.
 */
export function tierPreset(tier: Tier, seed?: number): SimulationConfig {
  const config = loadScenario(tierScenarioName(tier));
  return seed === undefined ? config : { ...config, seed };
}
