/** The five limit dimensions OpenAI enforces (rate-limits guide; facts §4). */
export type Dimension = 'rpm' | 'rpd' | 'tpm' | 'tpd' | 'ipm';

/** All dimensions, in the order a 429 reports the first one that binds. */
export const DIMENSIONS: readonly Dimension[] = ['rpm', 'tpm', 'ipm', 'rpd', 'tpd'];

/** Limits of one model (or shared family) at one tier. Absent = not limited on that dimension. */
export interface ModelLimits {
  /** Requests per minute. */
  readonly rpm?: number | undefined;
  /** Requests per day. */
  readonly rpd?: number | undefined;
  /** Tokens per minute. */
  readonly tpm?: number | undefined;
  /** Tokens per day. */
  readonly tpd?: number | undefined;
  /** Images per minute. */
  readonly ipm?: number | undefined;
  /** Batch queue limit, enqueued input tokens (informational; the mock does not enforce it). */
  readonly batchQueueTokens?: number | undefined;
}

/** A complete limits table: what one organization's limits page would show. */
export interface LimitsTable {
  /** Display name, e.g. `free` or `tier-1` or the custom file's name. */
  readonly name: string;
  /** When the figures were true (ISO date), and where they come from. */
  readonly asOf: string;
  readonly source: string;
  /** Limits by model id or family prefix (`gpt-3.5-turbo` also covers `gpt-3.5-turbo-1106`). */
  readonly models: Readonly<Record<string, ModelLimits>>;
  /** Shared-limit groups: every model listed draws from the group's one set of buckets. */
  readonly shared?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** Period of a dimension. @unit milliseconds */
export function periodMs(dimension: Dimension): number {
  return dimension === 'rpd' || dimension === 'tpd' ? 86_400_000 : 60_000;
}

/** The words a 429 message uses for a dimension (real bodies, facts §3.1). */
export const DIMENSION_WORDS: Readonly<Record<Dimension, string>> = {
  rpm: 'requests per min (RPM)',
  rpd: 'requests per day (RPD)',
  tpm: 'tokens per min (TPM)',
  tpd: 'tokens per day (TPD)',
  ipm: 'images per min (IPM)',
};

/** `type` of a 429 error body for a dimension (`requests` or `tokens`; images are counted as requests). */
export function dimensionType(dimension: Dimension): 'requests' | 'tokens' {
  return dimension === 'tpm' || dimension === 'tpd' ? 'tokens' : 'requests';
}
