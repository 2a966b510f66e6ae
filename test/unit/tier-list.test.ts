import { describe, expect, test } from 'vitest';
import { parseTierList } from '../../sim/tier-list.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { TIERS } from '../../src/server/limits/tier-tables.ts';

describe('--tier lists', () => {
  test('one tier, lists in the order given, ranges of the numbered tiers from free, and all', () => {
    expect(parseTierList('free')).toEqual(['free']);
    expect(parseTierList('3')).toEqual(['3']);
    expect(parseTierList('2, free,5')).toEqual(['2', 'free', '5']);
    expect(parseTierList('1-3')).toEqual(['1', '2', '3']);
    expect(parseTierList('free-2')).toEqual(['free', '1', '2']);
    expect(parseTierList('4-4')).toEqual(['4']);
    expect(parseTierList('all')).toEqual([...TIERS]);
  });

  test.each([
    ['', 'expected one of free, 1, 2, 3, 4, 5'],
    [',', 'expected one of'],
    ['1,', 'expected one of'],
    ['6', "got '6'"],
    ['0-2', 'expected one of'],
    ['tier-1', 'expected one of'],
    ['1-free', 'expected one of'],
    ['3-1', "the range '3-1' runs backwards"],
    ['1,1', "1 is named twice in '1,1'"],
    ['all,free', 'free is named twice'],
    ['1-3,2', '2 is named twice'],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseTierList(text)).toThrow(UsageError);
    expect(() => parseTierList(text)).toThrow(message);
  });
});
