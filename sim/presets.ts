import { parsePollerSpec } from '../src/pollers/registry.ts';
import { TIER_TABLES, type Tier } from '../src/server/limits/tier-tables.ts';
import type { SimulationConfig } from './engine.ts';

/** The seed program's own poller: `time.sleep(10)` before each retrieve, `time.sleep(20)` between files. */
export const SEED_POLLER = 'fixed:interval=10s,gap=20s';

/** Every built-in strategy, compared by default. */
export function defaultPollers(tier: Tier): string[] {
  return [
    tier === 'free' ? SEED_POLLER : 'fixed:interval=2s',
    'backoff',
    'adaptive',
    'sdk',
    'limiter',
    'oracle',
  ];
}

/** The model used for tiers 1–5: current, and in every tier's table. */
export const PAID_TIER_MODEL = 'gpt-4.1-mini';

/**
 * The default study of a tier. Free: the seed article (`000_e29600e4802fea04.txt`): ten transcripts
 * classified one after another on the Assistants flow with gpt-3.5-turbo. Tiers 1–5: Responses
 * background jobs on a current model, with enough concurrent workers that the docs' 2 s loop would
 * ask for about 2× the tier's RPM, so the limit binds.
 */
export function tierPreset(tier: Tier, seed = 1): SimulationConfig {
  const common = { seed, transport: 'fast' as const, maxEvents: 50_000_000, trace: false, mock: { tier } };
  if (tier === 'free') {
    return {
      ...common,
      scenario: 'seed-article',
      description:
        'The seed program on the free tier: 10 files, 10 s poll sleep, 20 s between files, SDK default retries.',
      workload: {
        flow: 'assistants',
        model: 'gpt-3.5-turbo',
        jobs: 10,
        workers: 1,
        clients: 1,
        arrival: { kind: 'all-at-once' },
        promptChars: 160,
      },
      pollers: defaultPollers(tier).map(parsePollerSpec),
      horizonMs: 6 * 3_600_000,
    };
  }
  const rpm = TIER_TABLES[tier].models[PAID_TIER_MODEL]?.rpm ?? 500;
  // The docs' loop polls a job about every 2.15 s (2 s sleep + answer), ~28 RPM per job: ask for 2× the limit.
  const workers = Math.ceil((rpm / 28) * 2);
  return {
    ...common,
    scenario: `tier-${tier}`,
    description: `Responses background on ${PAID_TIER_MODEL} at tier ${tier}: ${workers} concurrent jobs, sized so the ${rpm} RPM limit binds.`,
    workload: {
      flow: 'responses',
      model: PAID_TIER_MODEL,
      jobs: workers * 4,
      workers,
      clients: 1,
      arrival: { kind: 'all-at-once' },
      promptChars: 400,
    },
    pollers: defaultPollers(tier).map(parsePollerSpec),
    horizonMs: 6 * 3_600_000,
  };
}
