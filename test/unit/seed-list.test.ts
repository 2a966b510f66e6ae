import { describe, expect, test } from 'vitest';
import { MAX_SEEDS, parseSeedList } from '../../sim/seed-list.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

describe('--seeds lists', () => {
  test('ranges are inclusive, lists keep their order, repeats count once', () => {
    expect(parseSeedList('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeedList('7')).toEqual([7]);
    expect(parseSeedList('0')).toEqual([0]);
    expect(parseSeedList('9, 3,4-6')).toEqual([9, 3, 4, 5, 6]);
    expect(parseSeedList('1-3,2-4')).toEqual([1, 2, 3, 4]);
    expect(parseSeedList(`1-${MAX_SEEDS}`)).toHaveLength(MAX_SEEDS);
  });

  test.each([
    ['', 'expected seeds and ranges'],
    [',', 'expected seeds and ranges'],
    ['1,', 'expected seeds and ranges'],
    ['-3', 'expected seeds and ranges'],
    ['1.5', 'expected seeds and ranges'],
    ['a-b', 'expected seeds and ranges'],
    ['1-2-3', 'expected seeds and ranges'],
    ['5-2', "the range '5-2' runs backwards"],
    ['99999999999999999999', 'beyond the largest seed'],
    [`0-${MAX_SEEDS}`, `at most ${MAX_SEEDS} seeds`],
    // A huge range fails at once rather than enumerating it.
    ['1-9007199254740991', `at most ${MAX_SEEDS} seeds`],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseSeedList(text)).toThrow(UsageError);
    expect(() => parseSeedList(text)).toThrow(message);
  });
});
