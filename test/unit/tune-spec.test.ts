import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  parseTuneSpec,
  refineAround,
  refineEdges,
  roundSetting,
  settingChoice,
  type TuneTarget,
  tuneGrid,
} from '../../sim/tune-spec.ts';
import { PollerSpecError } from '../../src/pollers/registry.ts';

describe('parseTuneSpec', () => {
  test('takes one range and keeps every other parameter, checked and defaulted', () => {
    expect(parseTuneSpec(' fixed:interval=1s..30s,gap=20s ')).toEqual({
      spec: 'fixed:interval=1s..30s,gap=20s',
      poller: 'fixed',
      param: 'interval',
      kind: 'duration',
      low: 1000,
      high: 30_000,
      rest: { gap: 20_000, retries: 2, lang: 'node' },
    });
    expect(parseTuneSpec('limiter:rpm=100..500')).toMatchObject({ kind: 'int', low: 100, high: 500 });
    expect(parseTuneSpec('adaptive:tail=0.05..0.5')).toMatchObject({ kind: 'number', low: 0.05, high: 0.5 });
  });

  test.each([
    ['fixed', 'expected one parameter as key=LOW..HIGH'],
    ['fixed:interval=3s', 'expected one parameter as key=LOW..HIGH'],
    ['fixed:interval=1s..', 'expected one parameter as key=LOW..HIGH'],
    ['fixed:interval=1s..2s..3s', 'expected one parameter as key=LOW..HIGH'],
    ['fixed:interval=1s..3s,gap=0s..2s', '(one range only)'],
    ['fixed:interval=30s..1s', 'the range must run upwards'],
    ['fixed:interval=3s..3s', 'the range must run upwards'],
    ['backoff:jitter=none..full', 'takes one of none, full, equal, decorrelated, not a range'],
    ['oracle:x=1..2', "oracle has no parameter 'x' (in 'oracle:x=1..2')"],
    ['fixd:interval=1s..2s', "unknown poller 'fixd' in 'fixd:interval=1s..2s' (did you mean 'fixed'?)"],
    // Each end is checked as a --poller value would be, and the message quotes the spec as given.
    ['fixed:interval=abc..3s', "fixed.interval in 'fixed:interval=abc..3s': expected a duration"],
    ['adaptive:tail=0..1', 'expected a number from 0.01 to 2'],
    ['backoff:base=1s..2m', "backoff in 'backoff:base=1s..2m': base (2m) exceeds cap (1m)"],
    ['fixed:interval=1s..2s,interval=3s', "'interval' is given twice"],
  ])('%s is refused: %s', (spec, message) => {
    expect(() => parseTuneSpec(spec)).toThrow(PollerSpecError);
    expect(() => parseTuneSpec(spec)).toThrow(message);
  });
});

const target = (over: Partial<TuneTarget>): TuneTarget => ({
  spec: 'test',
  poller: 'fixed',
  param: 'interval',
  kind: 'duration',
  low: 1000,
  high: 30_000,
  rest: {},
  ...over,
});

describe('the settings tried', () => {
  test('two significant figures; whole milliseconds and whole numbers where the kind needs them', () => {
    expect(roundSetting('duration', 2654.3)).toBe(2700);
    expect(roundSetting('duration', 1.4)).toBe(1);
    expect(roundSetting('duration', 0)).toBe(0);
    expect(roundSetting('int', 137)).toBe(140);
    expect(roundSetting('number', 0.012345)).toBe(0.012);
  });

  test('a grid spaced by ratio over a wide range, evenly over a narrow one or from zero', () => {
    expect(tuneGrid(target({}))).toEqual([1000, 1600, 2600, 4300, 7000, 11_000, 18_000, 30_000]);
    expect(tuneGrid(target({ low: 0, high: 20_000 }))).toEqual([
      0, 2900, 5700, 8600, 11_000, 14_000, 17_000, 20_000,
    ]);
    expect(tuneGrid(target({ low: 2000, high: 3000 }), 3)).toEqual([2000, 2500, 3000]);
    // An integer range narrower than the grid gives each value once.
    expect(tuneGrid(target({ kind: 'int', low: 1, high: 4 }))).toEqual([1, 2, 3, 4]);
    // The ends are tried as given, whatever their figures.
    expect(tuneGrid(target({ low: 1234, high: 9876 }), 2)).toEqual([1234, 9876]);
  });

  test('refining tries the midpoint of each gap beside the best, until the rounding closes them', () => {
    expect(refineAround('duration', [1000, 2600, 4300, 7000], 2600)).toEqual([1800, 3500]);
    expect(refineAround('duration', [1000, 2600], 1000)).toEqual([1800]);
    expect(refineAround('duration', [2700, 2800, 2900], 2800)).toEqual([]);
    expect(refineAround('int', [3, 4, 6], 4)).toEqual([5]);
  });

  test('refining the edge halves the gap where 429s begin, on either side of the best', () => {
    // Tried 1, 2.6, 3.1 and 4.3 s; 2.6 s got 429s, the best is 4.3 s: the gap 2.6–3.1 s is the edge
    // (its midpoint, 2.85 s, rounded to two figures).
    const tried = [1000, 2600, 3100, 4300, 7000];
    expect(refineEdges('duration', tried, 4300, new Set([1000, 2600]))).toEqual([2900]);
    // Beside the best, the edge is refineAround's to halve.
    expect(refineEdges('duration', tried, 3100, new Set([1000, 2600]))).toEqual([]);
    // Unsafe settings above the best too (an rpm too high, say): both edges.
    expect(refineEdges('int', [10, 20, 30, 40, 50, 60], 30, new Set([10, 60]))).toEqual([15, 55]);
    // None unsafe, or the edge as fine as the rounding allows: nothing.
    expect(refineEdges('duration', tried, 4300, new Set())).toEqual([]);
    expect(refineEdges('duration', [2900, 3000, 3500], 3500, new Set([2900]))).toEqual([]);
  });

  test('property: every setting tried lies in the range, once, however the search goes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TuneTarget['kind']>('duration', 'int', 'number'),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 1.001, max: 1000, noNaN: true }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (kind, from, ratio, picks) => {
          const low = kind === 'number' ? from : Math.round(from);
          const high = kind === 'number' ? from * ratio + 0.01 : Math.round(from * ratio) + 1;
          const tried = tuneGrid(target({ kind, low, high }));
          // A search that moves its best around at random, as the figures might.
          for (const pick of picks) {
            const best = tried[pick % tried.length] as number;
            // Some settings, drawn with the pick, got 429s; never the best.
            const unsafe = new Set(tried.filter((value, i) => value !== best && (pick >> i) % 3 === 0));
            const next = [
              ...new Set([...refineAround(kind, tried, best), ...refineEdges(kind, tried, best, unsafe)]),
            ];
            for (const value of next) expect(tried).not.toContain(value);
            tried.push(...next);
          }
          expect(new Set(tried).size).toBe(tried.length);
          for (const value of tried) {
            expect(value).toBeGreaterThanOrEqual(low);
            expect(value).toBeLessThanOrEqual(high);
            if (kind !== 'number') expect(Number.isInteger(value)).toBe(true);
          }
        },
      ),
    );
  });

  test("each setting is a complete poller choice, the spec's other parameters kept", () => {
    const spec = parseTuneSpec('fixed:interval=1s..30s,gap=20s');
    expect(settingChoice(spec, 3500)).toEqual({
      name: 'fixed',
      params: { interval: 3500, gap: 20_000, retries: 2, lang: 'node' },
    });
  });
});
