import { UsageError } from '../src/cli/usage-error.ts';
import { isTier, TIERS, type Tier } from '../src/server/limits/tier-tables.ts';

/**
 * Reads a list of tiers: one tier (`free`, `1` … `5`), a comma-separated list of them (`free,1,2`), an
 * inclusive range of the numbered ones (`1-5`, or `free-3` from the free tier), or `all` (every tier,
 * free first).
 * @returns the tiers in the order given, without repeats; or, for a list that is wrong, what is wrong
 *   with it in words (the caller says where it came from: `--tier`, a scenario file's `tier`)
 */
export function readTierList(text: string): Tier[] | { problem: string } {
  const expected = `expected one of ${TIERS.join(', ')}, a list such as free,1,3, a range such as 1-5, or all; got '${text}'`;
  const tiers: Tier[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const range = /^(free|\d)\s*-\s*(\d)$/.exec(part);
    const named =
      part === 'all'
        ? [...TIERS]
        : isTier(part)
          ? [part]
          : range !== null && isTier(range[1] as string) && isTier(range[2] as string)
            ? TIERS.slice(TIERS.indexOf(range[1] as Tier), TIERS.indexOf(range[2] as Tier) + 1)
            : undefined;
    if (named === undefined) return { problem: expected };
    if (named.length === 0) return { problem: `the range '${part}' runs backwards` };
    for (const tier of named) {
      if (tiers.includes(tier)) return { problem: `${tier} is named twice in '${text}'` };
      tiers.push(tier);
    }
  }
  return tiers;
}

/**
 * Parses `--tier` as {@link readTierList} reads it.
 * @throws {@link UsageError} naming the flag and the part that is wrong
 */
export function parseTierList(text: string): Tier[] {
  const tiers = readTierList(text);
  if (!Array.isArray(tiers)) throw new UsageError(`--tier: ${tiers.problem}`);
  return tiers;
}
