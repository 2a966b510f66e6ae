import { describe, expect, test } from 'vitest';
import { formatGoDuration, parseGoDuration, parseHumanDuration, unitHint } from '../../src/core/duration.ts';

describe('formatGoDuration', () => {
  // Every value below appears in a real header or 429 message (facts §2.1).
  test.each([
    [0, '0s'],
    [7.5, '7ms'],
    [12, '12ms'],
    [120, '120ms'],
    [232.5, '232ms'],
    [1000, '1s'],
    [1772.7, '1.772s'],
    [3050, '3.05s'],
    [8600, '8.6s'],
    [20_000, '20s'],
    [43_200, '43.2s'],
    [360_000, '6m0s'],
    [432_000, '7m12s'],
    [1_728_000, '28m48s'],
    [3_723_000, '1h2m3s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  test('prints negative durations as 0s', () => {
    expect(formatGoDuration(-5)).toBe('0s');
  });
});

describe('parseGoDuration', () => {
  test.each([
    ['120ms', 120],
    ['1.772s', 1772],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['20', 20_000],
  ])('parses %s', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  test('rejects text that is not a duration', () => {
    expect(parseGoDuration('soon')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });

  test('round-trips every whole-millisecond duration it formats', () => {
    for (let ms = 0; ms < 200_000; ms += 997)
      expect(parseGoDuration(formatGoDuration(ms))).toBeCloseTo(ms, 6);
  });
});

describe('parseHumanDuration', () => {
  test.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['2.5m', 150_000],
    ['1h', 3_600_000],
    ['0', 0],
    ['1m30s', 90_000],
  ])('parses %s', (text, ms) => {
    expect(parseHumanDuration(text)).toBe(ms);
  });
  test('rejects garbage', () => {
    expect(parseHumanDuration('ten seconds')).toBeUndefined();
  });
  test('refuses a number without its unit, other than 0: 10 could mean 10 s or 10 ms', () => {
    expect(parseHumanDuration('250')).toBeUndefined();
    expect(parseHumanDuration('2.5')).toBeUndefined();
    expect(unitHint('250')).toBe(' (a number needs its unit: 250s or 250ms)');
    expect(unitHint(20)).toBe(' (a number needs its unit: 20s or 20ms)');
    for (const fine of ['0', 0, '10s', 'ten', [1], undefined]) expect(unitHint(fine)).toBe('');
  });
});
