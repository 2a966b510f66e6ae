import type { LimitsTable, ModelLimits } from './types.ts';

/** The limits that apply to a model, and the bucket group they are counted in. */
export interface ResolvedLimits {
  /** Bucket group: the table entry (or shared group) that the model draws from. */
  readonly group: string;
  readonly limits: ModelLimits;
}

/**
 * Finds a model's limits: an exact entry, else the longest entry that prefixes it at a `-` boundary
 * (`gpt-3.5-turbo-1106` → `gpt-3.5-turbo`, `omni-moderation-latest` → `omni-moderation`).
 * Models in a shared group resolve to the group so they draw from one set of buckets.
 * @returns `undefined` when the table has no limits for the model (the model is not available).
 */
export function resolveModelLimits(table: LimitsTable, model: string): ResolvedLimits | undefined {
  let entry: string | undefined;
  if (Object.hasOwn(table.models, model)) entry = model;
  else {
    for (const candidate of Object.keys(table.models)) {
      if (model.startsWith(`${candidate}-`) && (entry === undefined || candidate.length > entry.length)) {
        entry = candidate;
      }
    }
  }
  if (entry === undefined) return undefined;
  const limits = table.models[entry] as ModelLimits;
  for (const [group, members] of Object.entries(table.shared ?? {})) {
    if (members.includes(entry)) return { group, limits: table.models[group] ?? limits };
  }
  return { group: entry, limits };
}

/**
 * Why `model` cannot be counted against `table`, in words a user can act on, or `undefined` when the
 * table has limits for it ({@link resolveModelLimits}): every request counted against such a model
 * would get 404 `model_not_found`.
 */
export function noLimitsProblem(table: LimitsTable, model: string): string | undefined {
  if (resolveModelLimits(table, model) !== undefined) return undefined;
  return `${model} has no limits in ${table.name} (it has: ${Object.keys(table.models).join(', ')})`;
}
