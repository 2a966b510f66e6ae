import { POLLBENCH_VERSION } from '../src/version.ts';
import type { SeedsSummary } from './seeds-summary.ts';
import type { Summary } from './summary.ts';

/**
 * The document `npm run sim -- --tier free,1,2 --json` prints and `tiers.json` holds: the same study at
 * each tier. Each entry of `studies` is a whole document of its own (a summary, or a study across seeds
 * with `--seeds`), exactly as `--tier T` alone would print it, so everything the one-tier reports show is
 * there, and its `studyArgs` re-run that tier alone.
 */
export interface TiersSummary {
  readonly schema: 'pollbench/tiers@1';
  readonly pollbenchVersion: string;
  /**
   * The `sim` flags of the study, the output flags and `--seed` left out (`--tier` names every tier):
   * null when it did not come from the command.
   */
  readonly studyArgs: readonly string[] | null;
  /**
   * When every tier ran one scenario (`--scenario`): its description, with the flags that change it but
   * `--tier`. Null when each tier ran its own bundled study, whose descriptions are in `studies`.
   */
  readonly description: string | null;
  /** The tiers, in the order given: `studies[i]` ran at `tiers[i]`. */
  readonly tiers: readonly string[];
  /** The seeds each tier's study ran at (`--seeds`); null when each ran once, at its own seed. */
  readonly seeds: readonly number[] | null;
  readonly studies: readonly Summary[] | readonly SeedsSummary[];
}

/**
 * Folds the studies of one command at several tiers into one document.
 * @param studies every tier's document, in the order the tiers were given: all runs, or all studies
 * across the same seeds
 * @param options.studyArgs - the command's study flags, when it came from `sim`
 * @param options.description - the one scenario's description, when every tier ran it
 */
export function summarizeTiers(
  tiers: readonly string[],
  studies: readonly Summary[] | readonly SeedsSummary[],
  { studyArgs = null, description = null }: Partial<Pick<TiersSummary, 'studyArgs' | 'description'>> = {},
): TiersSummary {
  if (tiers.length !== studies.length || tiers.length === 0)
    throw new Error(`summarizeTiers: ${tiers.length} tiers for ${studies.length} studies`);
  const [first] = studies;
  const seeds = first !== undefined && first.schema === 'pollbench/seeds@1' ? [...first.seeds] : null;
  return {
    schema: 'pollbench/tiers@1',
    pollbenchVersion: POLLBENCH_VERSION,
    studyArgs: studyArgs === null ? null : [...studyArgs],
    description,
    tiers: [...tiers],
    seeds,
    studies,
  };
}

/** `free` or `tier 2`: a tier as a column's header and a line's label. */
export function tierLabel(tier: string): string {
  return tier === 'free' ? 'free' : `tier ${tier}`;
}

/** The mark after a figure whose poller got rate-limit 429s, abandoned jobs or was cut short there. */
export const TROUBLE_MARK = '!';
