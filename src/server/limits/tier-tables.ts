import type { LimitsTable, ModelLimits } from './types.ts';

/**
 * Published per-model limits by usage tier, as data. Limits drift over time (facts §1.3), so every
 * table carries its date and its source, and users can load their own figures instead
 * (see `loadLimitsFile`). Sources are the rows of `../shared/reference/openai-api-facts.md`:
 *
 * - §1.2: model pages on developers.openai.com, copies dated 2026-09 (gpt-4o, gpt-4o-mini, gpt-4.1,
 *   gpt-4.1-mini, o4-mini, gpt-5.x flagships, gpt-5-mini). Confidence H, except `gpt-5` itself (L:
 *   its page was not found; it is given the gpt-5.x flagship row).
 * - §1.3: the docs' tier tabs as snapshotted in openai-cookbook `examples/data/oai_docs/tier-*.txt`
 *   (about May–Jul 2024) for gpt-3.5-turbo, embeddings, whisper-1, tts-1, tts-1-hd, dall-e-2/3.
 * - The free-tier table is the seed document `004_8e8abc512737e65f.txt` (the rate-limit guide), plus
 *   gpt-4.1-mini's ~2025 page (free = 3 RPM / 200 RPD / 40K TPM).
 */

const MODEL_PAGES = 'developers.openai.com/api/docs/models/<id> (copies 2026-09), facts §1.2';
const TIER_TABS_2024 = 'openai-cookbook examples/data/oai_docs/tier-*.txt (2024), facts §1.3';

type Row = readonly [ModelLimits, ModelLimits, ModelLimits, ModelLimits, ModelLimits];
const rt = (rpm: number, tpm: number, batchQueueTokens?: number, rpd?: number): ModelLimits => ({
  rpm,
  tpm,
  ...(rpd === undefined ? {} : { rpd }),
  ...(batchQueueTokens === undefined ? {} : { batchQueueTokens }),
});

const GPT_4O: Row = [
  rt(500, 30_000, 90_000),
  rt(5_000, 450_000, 1_350_000),
  rt(5_000, 800_000, 50_000_000),
  rt(10_000, 2_000_000, 200_000_000),
  rt(10_000, 30_000_000, 5_000_000_000),
];
const GPT_4O_MINI: Row = [
  rt(500, 200_000, 2_000_000, 10_000),
  rt(5_000, 2_000_000, 20_000_000),
  rt(5_000, 4_000_000, 40_000_000),
  rt(10_000, 10_000_000, 1_000_000_000),
  rt(30_000, 150_000_000, 15_000_000_000),
];
const O4_MINI: Row = [
  rt(1_000, 100_000, 1_000_000),
  rt(2_000, 2_000_000, 2_000_000),
  rt(5_000, 4_000_000, 40_000_000),
  rt(10_000, 10_000_000, 1_000_000_000),
  rt(30_000, 150_000_000, 15_000_000_000),
];
const GPT_5: Row = [
  rt(500, 500_000, 1_500_000),
  rt(5_000, 1_000_000, 3_000_000),
  rt(5_000, 2_000_000, 100_000_000),
  rt(10_000, 4_000_000, 200_000_000),
  rt(15_000, 40_000_000, 15_000_000_000),
];
const GPT_5_MINI: Row = [
  rt(500, 500_000, 5_000_000),
  rt(5_000, 2_000_000, 20_000_000),
  rt(5_000, 4_000_000, 40_000_000),
  rt(10_000, 10_000_000, 1_000_000_000),
  rt(30_000, 180_000_000, 15_000_000_000),
];
const GPT_35_TURBO: Row = [
  rt(3_500, 60_000, 200_000, 10_000),
  rt(3_500, 80_000, 400_000),
  rt(3_500, 160_000, 10_000_000),
  rt(10_000, 1_000_000, 100_000_000),
  rt(10_000, 2_000_000, 300_000_000),
];
const EMBEDDINGS: Row = [
  rt(3_000, 1_000_000, 3_000_000),
  rt(5_000, 1_000_000, 20_000_000),
  rt(5_000, 5_000_000, 100_000_000),
  rt(10_000, 5_000_000, 500_000_000),
  rt(10_000, 10_000_000, 4_000_000_000),
];
const rpmOnly = (...values: number[]): Row => values.map((rpm) => ({ rpm })) as unknown as Row;
const ipmOnly = (...values: number[]): Row => values.map((ipm) => ({ ipm })) as unknown as Row;

const PAID_ROWS: Readonly<Record<string, Row>> = {
  'gpt-4o': GPT_4O,
  'gpt-4o-mini': GPT_4O_MINI,
  'gpt-4.1': GPT_4O,
  'gpt-4.1-mini': GPT_4O_MINI,
  'o4-mini': O4_MINI,
  'gpt-5': GPT_5,
  'gpt-5.5': GPT_5,
  'gpt-5-mini': GPT_5_MINI,
  'gpt-5-nano': GPT_5_MINI,
  'gpt-3.5-turbo': GPT_35_TURBO,
  'text-embedding-3-small': EMBEDDINGS,
  'text-embedding-3-large': EMBEDDINGS,
  'text-embedding-ada-002': EMBEDDINGS,
  'whisper-1': rpmOnly(50, 50, 100, 100, 500),
  'tts-1': rpmOnly(50, 50, 100, 100, 500),
  'tts-1-hd': rpmOnly(3, 5, 7, 10, 20),
  'dall-e-2': ipmOnly(5, 50, 100, 100, 500),
  'dall-e-3': ipmOnly(5, 7, 7, 15, 75),
};

/** Free tier: the seed guide's table (`004_8e8abc512737e65f.txt`), matching the 2024 tier tab. */
const FREE: LimitsTable = {
  name: 'free',
  asOf: '2024-07-01',
  source: `seed 004_8e8abc512737e65f.txt (rate-limit guide, free tab); ${TIER_TABS_2024}; gpt-4.1-mini ~2025 page`,
  models: {
    'gpt-3.5-turbo': { rpm: 3, rpd: 200, tpm: 40_000, batchQueueTokens: 200_000 },
    'gpt-4.1-mini': { rpm: 3, rpd: 200, tpm: 40_000 },
    'text-embedding-3-large': { rpm: 3_000, rpd: 200, tpm: 1_000_000, batchQueueTokens: 3_000_000 },
    'text-embedding-3-small': { rpm: 3_000, rpd: 200, tpm: 1_000_000, batchQueueTokens: 3_000_000 },
    'text-embedding-ada-002': { rpm: 3_000, rpd: 200, tpm: 1_000_000, batchQueueTokens: 3_000_000 },
    'omni-moderation': { rpm: 500, rpd: 10_000, tpm: 10_000 },
    'whisper-1': { rpm: 3, rpd: 200 },
    'tts-1': { rpm: 3, rpd: 200 },
    'dall-e-2': { ipm: 5 },
    'dall-e-3': { ipm: 1 },
  },
};

function paidTier(index: 0 | 1 | 2 | 3 | 4): LimitsTable {
  const models: Record<string, ModelLimits> = {};
  for (const [model, row] of Object.entries(PAID_ROWS)) models[model] = row[index];
  return {
    name: `tier-${index + 1}`,
    asOf: '2026-09-24',
    source: `${MODEL_PAGES}; ${TIER_TABS_2024} for gpt-3.5-turbo, embeddings, audio and images`,
    models,
  };
}

/** Usage tiers accepted by `--tier` and `createMockOpenAI({ tier })`. */
export type Tier = 'free' | '1' | '2' | '3' | '4' | '5';

/** Every tier's table, keyed by {@link Tier}. */
export const TIER_TABLES: Readonly<Record<Tier, LimitsTable>> = {
  free: FREE,
  '1': paidTier(0),
  '2': paidTier(1),
  '3': paidTier(2),
  '4': paidTier(3),
  '5': paidTier(4),
};

/** The tiers in order, for messages: a record's keys list `1`…`5` before `free`. */
export const TIERS: readonly Tier[] = ['free', '1', '2', '3', '4', '5'];

/** True when `value` names a tier. */
export function isTier(value: string): value is Tier {
  return Object.hasOwn(TIER_TABLES, value);
}
