import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { distributionArbitrary } from '../../sim/arbitraries.ts';
import { formatHumanDuration, parseHumanDuration } from '../../src/core/duration.ts';
import { DEFAULT_LATENCY } from '../../src/server/jobs/latency-config.ts';
import { type Distribution, formatDistribution, parseDistribution } from '../../src/server/latency.ts';
import { fcSeed } from '../helpers/seed.ts';

const parse = (text: string) => parseDistribution(text, parseHumanDuration);

describe(`duration and distribution text (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.each([
    [0, '0ms'],
    [250, '250ms'],
    [1500, '1500ms'],
    [20_000, '20s'],
    [300_000, '5m'],
    [21_600_000, '6h'],
    [0.25, '0.25ms'],
  ])('formatHumanDuration(%d) is %s', (ms, text) => {
    expect(formatHumanDuration(ms)).toBe(text);
  });

  test('formatHumanDuration refuses what has no text', () => {
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY, 1e-9])
      expect(() => formatHumanDuration(ms)).toThrow(RangeError);
  });

  fcTest.prop([fc.oneof(fc.nat({ max: 1e12 }), fc.double({ min: 0, max: 1e9, noNaN: true }))])(
    'parseHumanDuration reads back what formatHumanDuration writes',
    (ms) => {
      let text: string;
      try {
        text = formatHumanDuration(ms);
      } catch {
        return; // an exponent form (tiny doubles): refused, checked above
      }
      expect(parseHumanDuration(text)).toBe(ms);
    },
  );

  test('a lognormal may be capped: MEDIAN:SIGMA:MAX', () => {
    expect(parse('lognormal:8s:0.6:5m')).toEqual({
      kind: 'lognormal',
      medianMs: 8000,
      sigma: 0.6,
      maxMs: 300_000,
    });
    expect(parse('lognormal:8s:0.6')).toEqual({ kind: 'lognormal', medianMs: 8000, sigma: 0.6 });
  });

  test.each(['lognormal:8s:0.6:1s', 'lognormal:8s:', 'lognormal:8s:0.6:5m:1', 'lognormal:8s:0.6:soon'])(
    'refuses %s, saying what was expected',
    (text) => {
      expect(() => parse(text)).toThrow(/lognormal:MEDIAN:SIGMA\[:MAX\]/);
    },
  );

  fcTest.prop([distributionArbitrary()])(
    'parseDistribution reads back what formatDistribution writes',
    (d) => {
      expect(parse(formatDistribution(d))).toEqual(d);
    },
  );

  test('every default latency has a text form that reads back equal (the help prints them)', () => {
    const { request, completion, run, response, batch, runCancelling } = DEFAULT_LATENCY;
    const all: Distribution[] = [
      request,
      completion,
      runCancelling,
      run.queue,
      run.duration,
      response.queue,
      response.duration,
      ...Object.values(batch).filter((v): v is Distribution => typeof v === 'object'),
    ];
    for (const d of all) expect(parse(formatDistribution(d))).toEqual(d);
    expect(formatDistribution(run.duration)).toBe('lognormal:8s:0.6:5m');
  });
});
