import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TuneAxis } from '../../reports/tuning.ts';
import {
  edgeDirection,
  edgePoints,
  localBests,
  parseTuneSpec,
  pointKey,
  refineAround,
  refineEdges,
  refinePoints,
  roundSetting,
  settingChoice,
  type TunePoint,
  type TuneTarget,
  tuneAxes,
  tuneGrid,
  tuneGridPoints,
  tuneGridProblem,
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

  test('takes two ranges: the first as the one range is, the second beside it', () => {
    expect(parseTuneSpec('fixed:interval=1s..60s,gap=0s..1m,retries=0')).toEqual({
      spec: 'fixed:interval=1s..60s,gap=0s..1m,retries=0',
      poller: 'fixed',
      param: 'interval',
      kind: 'duration',
      low: 1000,
      high: 60_000,
      second: { param: 'gap', kind: 'duration', low: 0, high: 60_000 },
      rest: { retries: 0, lang: 'node' },
    });
  });

  test('a value wrong in itself is not blamed on a corner of the ranges', () => {
    for (const spec of [
      'fixed:interval=1s..60s,gap=0s..6',
      'fixed:interval=1s..60s,gap=0s..1m,retriez=0..2',
    ]) {
      const error = (() => {
        try {
          parseTuneSpec(spec);
          return undefined;
        } catch (caught) {
          return caught as PollerSpecError;
        }
      })();
      expect(error, spec).toBeInstanceOf(PollerSpecError);
      expect(error?.acrossParams).toBe(false);
      expect(error?.message).not.toContain('ranges is tried');
    }
  });

  test('takes three ranges, in the order given', () => {
    expect(parseTuneSpec('backoff:base=500ms..5s,factor=1.5..3,cap=30s..2m')).toMatchObject({
      param: 'base',
      low: 500,
      high: 5000,
      second: { param: 'factor', kind: 'number', low: 1.5, high: 3 },
      third: { param: 'cap', kind: 'duration', low: 30_000, high: 120_000 },
      rest: { jitter: 'full', attempts: 20, gap: 0 },
    });
  });

  test.each([
    ['fixed', 'expected one, two or three parameters as key=LOW..HIGH'],
    ['fixed:interval=3s', 'expected one, two or three parameters as key=LOW..HIGH'],
    ['fixed:interval=1s..', 'expected one, two or three parameters as key=LOW..HIGH'],
    ['fixed:interval=1s..2s..3s', 'expected one, two or three parameters as key=LOW..HIGH'],
    ['fixed:interval=1s..3s,gap=2s..1s', 'fixed.gap in'],
    // Every corner of two ranges must be a valid poller: here a base of 10 s with a cap of 5 s.
    [
      'backoff:base=500ms..10s,cap=5s..2m',
      'base (10s) exceeds cap (5s) (every pair of the two ranges is tried, base=10s with cap=5s among them: narrow a range)',
    ],
    ['backoff:base=500ms..1s,factor=1.5..3,cap=10s..1m,gap=0s..2s', '(three ranges at most)'],
    // With three ranges, every one of the eight corners: here the base's high end with the cap's low.
    [
      'backoff:base=1s..20s,factor=1.5..3,cap=10s..1m',
      'base (20s) exceeds cap (10s) (every combination of the three ranges is tried, base=20s with factor=1.5 with cap=10s among them: narrow a range)',
    ],
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
    // Named values are listed beside a range, never alone, and only for a parameter that has them.
    ['backoff:jitter=full|equal', 'named values are searched beside a range'],
    ['backoff:jitter=*', 'to compare them alone, give one --poller each'],
    ['backoff:base=1s..2s,factor=1|2', 'backoff.factor in'],
    ['fixed:interval=1s..2s,gap=*', 'takes a range, gap=LOW..HIGH, not a list'],
    ['backoff:base=1s..2s,jitter=full|full', "'full' is listed twice"],
    ['backoff:base=1s..2s,jitter=full|', 'expected values of none, full, equal, decorrelated separated by |'],
    ['backoff:base=1s..2s,jitter=full|fill', "backoff.jitter in 'backoff:base=1s..2s,jitter=full|fill'"],
    ['backoff:base=1s..2s,jiter=*', "backoff has no parameter 'jiter'"],
    [
      'backoff:base=1s..2s,factor=1.5..2,cap=1m..2m,jitter=*',
      '(three parameters, ranges and lists together, at most)',
    ],
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
    // Not between two settings that ran the same.
    expect(refineAround('duration', [1000, 2600, 4300], 2600, (v) => v === 4300)).toEqual([1800]);
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
    expect(settingChoice(spec, [3500])).toEqual({
      name: 'fixed',
      params: { interval: 3500, gap: 20_000, retries: 2, lang: 'node' },
    });
    expect(settingChoice(parseTuneSpec('fixed:interval=1s..30s,gap=0s..1m'), [3500, 20_000])).toEqual({
      name: 'fixed',
      params: { interval: 3500, gap: 20_000, retries: 2, lang: 'node' },
    });
  });
});

describe('two parameters', () => {
  const two = parseTuneSpec('fixed:interval=1s..60s,gap=0s..60s');
  const [interval, gap] = tuneAxes(two) as [TuneAxis, TuneAxis];

  test('the first grid is every pair of the two grids, eight a side unless told', () => {
    const points = tuneGridPoints(two);
    expect(points).toHaveLength(64);
    expect(new Set(points.map((p) => p[0]))).toEqual(new Set(tuneGrid(interval, 8)));
    expect(new Set(points.map((p) => p[1]))).toEqual(new Set(tuneGrid(gap, 8)));
    expect(points.slice(0, 2)).toEqual([
      [1000, 0],
      [1000, 8600],
    ]);
    expect(tuneGridPoints(two, 3)).toHaveLength(9);
    // One range: the grid as it was, each setting a point of one value.
    const one = parseTuneSpec('fixed:interval=1s..30s');
    expect(tuneGridPoints(one)).toEqual(tuneGrid(one).map((v) => [v]));
  });

  test('with one parameter, refining is refineAround then refineEdges', () => {
    const tried = [1000, 2600, 3100, 4300, 7000];
    const unsafe = new Set([1000, 2600]);
    const axes = tuneAxes(parseTuneSpec('fixed:interval=1s..30s'));
    const keys = new Set([...unsafe].map((v) => pointKey([v])));
    expect(
      refinePoints(
        axes,
        tried.map((v) => [v]),
        [4300],
        keys,
      ),
    ).toEqual(
      [...refineAround('duration', tried, 4300), ...refineEdges('duration', tried, 4300, unsafe)].map((v) => [
        v,
      ]),
    );
  });

  test('one parameter at a time, the other held at the best; a sparse line first gets the neighbouring values', () => {
    const grid = tuneGridPoints(two, 3); // interval 1s, 7.7s, 60s × gap 0s, 30s, 60s
    expect(refinePoints([interval, gap], grid, [7700, 30_000], new Set())).toEqual([
      [4400, 30_000], // midpoints, rounded to two figures
      [34_000, 30_000],
      [7700, 15_000],
      [7700, 45_000],
    ]);
    // A best found by refining, alone on its gap's line: that line first gets the intervals beside it.
    const tried = [...grid, [7700, 45_000]];
    expect(refinePoints([interval, gap], tried, [7700, 45_000], new Set())).toEqual([
      [1000, 45_000],
      [60_000, 45_000],
      [7700, 38_000],
      [7700, 53_000],
    ]);
  });

  test('the rounds refine from each local best, not only the best', () => {
    // Ranked best first: (60s, 0s) and (7.7s, 30s) both rank above every neighbour; the others do not.
    const grid = tuneGridPoints(two, 3);
    const ranked = [
      [60_000, 0],
      [7700, 30_000],
      [60_000, 30_000],
      [7700, 0],
      [60_000, 60_000],
      [7700, 60_000],
      [1000, 30_000],
      [1000, 0],
      [1000, 60_000],
    ];
    expect(localBests(grid, ranked, 3)).toEqual([
      [60_000, 0],
      [7700, 30_000],
    ]);
    expect(localBests(grid, ranked, 1)).toEqual([[60_000, 0]]);
  });

  test('the edge of the 429s runs through the nearest unsafe setting on each line through the best', () => {
    // The seed program's edge: interval + gap ≥ 58 s. At (32 s, 26 s), 31 s and 25 s get 429s.
    const tried: TunePoint[] = [
      [32_000, 26_000],
      [31_000, 26_000],
      [20_000, 26_000],
      [32_000, 25_000],
      [32_000, 10_000],
      [40_000, 26_000],
    ];
    const unsafe = new Set(
      [
        [31_000, 26_000],
        [20_000, 26_000],
        [32_000, 25_000],
        [32_000, 10_000],
      ].map(pointKey),
    );
    expect(edgeDirection(tried, [32_000, 26_000], unsafe)).toEqual([1000, -1000]);
    expect(edgePoints([interval, gap], tried, [32_000, 26_000], unsafe)).toEqual([
      [33_000, 25_000],
      [31_000, 27_000],
      [34_000, 24_000],
      [30_000, 28_000],
      [36_000, 22_000],
      [28_000, 30_000],
      [40_000, 18_000],
      [24_000, 34_000],
      [48_000, 10_000],
      [16_000, 42_000],
      // 32 steps either way, (64 s, −6 s) and (0 s, 58 s), lie outside the ranges.
    ]);
    // No edge: an unsafe best, a line without an unsafe setting, or one parameter.
    expect(edgePoints([interval, gap], tried, [31_000, 26_000], unsafe)).toEqual([]);
    expect(edgeDirection(tried, [40_000, 26_000], unsafe)).toBeUndefined();
    expect(edgeDirection([[1000], [2000]], [2000], new Set([pointKey([1000])]))).toBeUndefined();
  });

  test('property: every point tried lies in both ranges, once, however the search goes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (picks) => {
        const tried = tuneGridPoints(two);
        for (const pick of picks) {
          const best = tried[pick % tried.length] as TunePoint;
          const unsafe = new Set(tried.filter((_, i) => (pick >> i) % 3 === 0).map(pointKey));
          unsafe.delete(pointKey(best));
          const next = [
            ...refinePoints([interval, gap], tried, best, unsafe),
            ...(pick % 2 === 0 ? edgePoints([interval, gap], tried, best, unsafe) : []),
          ].filter((p, i, all) => all.findIndex((q) => pointKey(q) === pointKey(p)) === i);
          for (const point of next) expect(tried.map(pointKey)).not.toContain(pointKey(point));
          tried.push(...next);
        }
        expect(new Set(tried.map(pointKey)).size).toBe(tried.length);
        for (const [i, g] of tried as [number, number][]) {
          expect(i).toBeGreaterThanOrEqual(1000);
          expect(i).toBeLessThanOrEqual(60_000);
          expect(g).toBeGreaterThanOrEqual(0);
          expect(g).toBeLessThanOrEqual(60_000);
        }
      }),
    );
  });
});

describe('three parameters', () => {
  const three = parseTuneSpec('fixed:interval=1s..60s,gap=0s..60s,retries=0..2');
  const axes = tuneAxes(three);

  test('the first grid is every combination of the three grids, six a side unless told', () => {
    const [interval, gap] = axes as [TuneAxis, TuneAxis];
    expect(axes.map((axis) => axis.param)).toEqual(['interval', 'gap', 'retries']);
    const points = tuneGridPoints(three);
    // retries 0..2 has three whole values, so six a side gives 6 × 6 × 3.
    expect(points).toHaveLength(6 * 6 * 3);
    expect(new Set(points.map((p) => p[0]))).toEqual(new Set(tuneGrid(interval, 6)));
    expect(new Set(points.map((p) => p[1]))).toEqual(new Set(tuneGrid(gap, 6)));
    expect(new Set(points.map((p) => p[2]))).toEqual(new Set([0, 1, 2]));
    expect(points.slice(0, 2)).toEqual([
      [1000, 0, 0],
      [1000, 0, 1],
    ]);
    expect(tuneGridPoints(parseTuneSpec('backoff:base=1s..4s,factor=1.5..3,cap=1m..2m'), 4)).toHaveLength(64);
  });

  test('refining moves one parameter at a time, the other two held at the best', () => {
    const grid = tuneGridPoints(three, 3); // interval 1s, 7.7s, 60s × gap 0s, 30s, 60s × retries 0, 1, 2
    const next = refinePoints(axes, grid, [7700, 30_000, 1], new Set());
    expect(next).toEqual([
      [4400, 30_000, 1],
      [34_000, 30_000, 1],
      [7700, 15_000, 1],
      [7700, 45_000, 1],
      // retries 0 and 2 are its neighbours and already tried: whole numbers leave no midpoint.
    ]);
  });

  test('the walk along the edge goes in the plane of each pair of parameters whose lines meet 429s', () => {
    // At (32 s, 26 s, 0): one second less of interval or of gap gets 429s; so does one more retry.
    const from: TunePoint = [32_000, 26_000, 0];
    const unsafeSettings: TunePoint[] = [
      [31_000, 26_000, 0],
      [32_000, 25_000, 0],
      [32_000, 26_000, 2],
    ];
    const tried = [from, ...unsafeSettings, [40_000, 26_000, 0]];
    const unsafe = new Set(unsafeSettings.map(pointKey));
    expect(edgeDirection(tried, from, unsafe)).toEqual([1000, -1000, 0]);
    expect(edgeDirection(tried, from, unsafe, [0, 2])).toEqual([1000, 0, 2]);
    expect(edgeDirection(tried, from, unsafe, [1, 2])).toEqual([0, 1000, 2]);
    const walk = edgePoints(axes, tried, from, unsafe);
    // The interval × gap plane as with two parameters, retries held.
    expect(walk.slice(0, 4)).toEqual([
      [33_000, 25_000, 0],
      [31_000, 27_000, 0],
      [34_000, 24_000, 0],
      [30_000, 28_000, 0],
    ]);
    // Then the planes with retries, within its range 0..2: a second more of interval, or of gap, for two
    // more retries; the step the other way would take retries below 0.
    expect(walk.filter((p) => p[2] !== 0)).toEqual([
      [33_000, 26_000, 2],
      [32_000, 27_000, 2],
    ]);
    for (const point of walk) expect(point[2]).toBeLessThanOrEqual(2);
  });

  test('property: every point tried lies in all three ranges, once, however the search goes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), (picks) => {
        const tried = tuneGridPoints(three, 3);
        for (const pick of picks) {
          const best = tried[pick % tried.length] as TunePoint;
          const unsafe = new Set(tried.filter((_, i) => (pick >> (i % 30)) % 3 === 0).map(pointKey));
          unsafe.delete(pointKey(best));
          const next = [
            ...refinePoints(axes, tried, best, unsafe),
            ...(pick % 2 === 0 ? edgePoints(axes, tried, best, unsafe) : []),
          ].filter((p, i, all) => all.findIndex((q) => pointKey(q) === pointKey(p)) === i);
          for (const point of next) expect(tried.map(pointKey)).not.toContain(pointKey(point));
          tried.push(...next);
        }
        expect(new Set(tried.map(pointKey)).size).toBe(tried.length);
        for (const point of tried)
          point.forEach((v, k) => {
            const axis = axes[k] as TuneAxis;
            expect(v).toBeGreaterThanOrEqual(axis.low);
            expect(v).toBeLessThanOrEqual(axis.high);
            if (axis.kind === 'int') expect(Number.isInteger(v)).toBe(true);
          });
      }),
    );
  });
});

describe('named values beside a range', () => {
  const spec = parseTuneSpec('backoff:jitter=equal|none,base=250ms..10s');
  const axes = tuneAxes(spec);
  const [base, jitter] = axes as [TuneAxis, TuneAxis];

  test('a list, or * for every value, comes after the ranges, each value its index', () => {
    expect(base).toEqual({ param: 'base', kind: 'duration', low: 250, high: 10_000 });
    expect(jitter).toEqual({ param: 'jitter', kind: 'enum', low: 0, high: 1, values: ['equal', 'none'] });
    expect(spec.rest).not.toHaveProperty('jitter');
    expect(spec.rest).toMatchObject({ factor: 2, cap: 60_000 });
    const all = tuneAxes(parseTuneSpec('backoff:base=1s..2s,jitter=*'))[1];
    expect(all?.values).toEqual(['none', 'full', 'equal', 'decorrelated']);
    expect(settingChoice(spec, [2000, 1]).params).toMatchObject({ base: 2000, jitter: 'none' });
    expect(settingChoice(spec, [2000, 0]).params).toMatchObject({ base: 2000, jitter: 'equal' });
  });

  test('every combination is checked, a named value with each end', () => {
    // adaptive's min ≤ max holds at both ends whatever quantized is: accepted.
    expect(tuneAxes(parseTuneSpec('adaptive:min=250ms..2s,quantized=yes|no'))).toHaveLength(2);
    expect(() => parseTuneSpec('backoff:base=500ms..10s,cap=5s..2m,jitter=full|equal')).toThrow(
      '(every combination of the three parameters is tried, base=10s with cap=5s with jitter=full among them: narrow a range)',
    );
  });

  test('every value is on the first grid, with the grid over the range', () => {
    expect(tuneGrid(jitter)).toEqual([0, 1]);
    const points = tuneGridPoints(spec);
    expect(points).toHaveLength(16);
    expect(points.filter((p) => p[1] === 1).map((p) => p[0])).toEqual(tuneGrid(base, 8));
    expect(tuneGridPoints(spec, 3)).toHaveLength(6);
    // --tune-grid sets a side of the range's grid; the named values are all there whatever it says.
    expect(tuneGridProblem(8, axes)).toBeUndefined();
    expect(tuneGridProblem(9, axes)).toBe(
      'with two parameters it is a side of the grid over the range, at most 8 (16 settings with every named value, each run on every seed); got 9',
    );
  });

  test('refining tries every other value at the best, and halves only the range', () => {
    const four = parseTuneSpec('backoff:base=1s..9s,jitter=*');
    const both = tuneAxes(four);
    const tried: TunePoint[] = tuneGridPoints(four, 3); // base 1s, 3s, 9s × each of the four
    expect(refinePoints(both, tried, [3000, 2], new Set())).toEqual([
      [2000, 2],
      [6000, 2],
    ]);
    // A best found by refining is alone on its line of named values: each other value is tried there.
    tried.push([2000, 2]);
    expect(refinePoints(both, tried, [2000, 2], new Set())).toEqual([
      [1500, 2],
      [2500, 2],
      [2000, 0],
      [2000, 1],
      [2000, 3],
    ]);
    // No walk along an edge runs across named values.
    const unsafe = new Set([pointKey([1000, 2]), pointKey([3000, 3])]);
    expect(edgePoints(both, tried, [3000, 2], unsafe)).toEqual([]);
  });

  test('a local best ranks above every other named value at its setting, not only the values listed next to it', () => {
    const tried: TunePoint[] = [
      [1000, 0],
      [1000, 1],
      [1000, 2],
    ];
    const ranked = [
      [1000, 2],
      [1000, 0],
      [1000, 1],
    ];
    expect(localBests(tried, ranked, 3, [base, { kind: 'enum' }])).toEqual([[1000, 2]]);
    // Taken as numbers, value 0 would be a local best: its one neighbour, 1, ranks below it.
    expect(localBests(tried, ranked, 3)).toEqual([
      [1000, 2],
      [1000, 0],
    ]);
  });
});
