import { closest, distance } from 'fastest-levenshtein';

/**
 * ` (did you mean 'x'?)` for the candidate nearest `input` by edit distance, when it is near enough to be
 * a typo (at most one edit in three characters, rounded up), else `''`. For messages about unknown
 * names: flags, pollers, their parameters, scenarios. (fastest-levenshtein: a small, widely used
 * dependency-free implementation, rather than one more hand-written edit distance.)
 */
export function didYouMean(input: string, candidates: readonly string[]): string {
  if (candidates.length === 0 || input === '') return '';
  const nearest = closest(input, [...candidates]);
  const allowed = Math.max(1, Math.ceil(Math.max(input.length, nearest.length) / 3));
  return distance(input, nearest) <= allowed ? ` (did you mean '${nearest}'?)` : '';
}
