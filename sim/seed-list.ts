import { UsageError } from '../src/cli/usage-error.ts';

/**
 * Most seeds one `--seeds` list may name. Each seed is a whole simulation of every poller, so a typo
 * such as `1-100000` would otherwise look like a hang.
 */
export const MAX_SEEDS = 1000;

/**
 * Parses a list of seeds: comma-separated seeds and inclusive ranges, e.g. `1-10`, `3,7,11` or `1-5,42`.
 * @returns the seeds in the order given, without repeats; or, for a list that is wrong, what is wrong
 *   with it in words (the caller says where it came from: a flag, a scenario file's field)
 */
export function readSeedList(text: string): number[] | { problem: string } {
  const seeds = new Set<number>();
  const expected = `expected seeds and ranges such as 1-10 or 1,4,9 (integers ≥ 0); got '${text}'`;
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (match === null) return { problem: expected };
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))
      return { problem: `'${part.trim()}' is beyond the largest seed, ${Number.MAX_SAFE_INTEGER}` };
    if (to < from) return { problem: `the range '${part.trim()}' runs backwards` };
    for (let seed = from; seed <= to; seed++) {
      seeds.add(seed);
      if (seeds.size > MAX_SEEDS)
        return { problem: `at most ${MAX_SEEDS} seeds in one run; '${text}' names more` };
    }
  }
  return [...seeds];
}

/**
 * Parses `--seeds` (or another flag's list of seeds, named in the errors) as {@link readSeedList} does.
 * Throws {@link UsageError} naming the flag and the part that is wrong.
 */
export function parseSeedList(text: string, flag = 'seeds'): number[] {
  const seeds = readSeedList(text);
  if (!Array.isArray(seeds)) throw new UsageError(`--${flag}: ${seeds.problem}`);
  return seeds;
}
