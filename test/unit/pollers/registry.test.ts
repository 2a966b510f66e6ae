import { describe, expect, test } from 'vitest';
import { entryProblem } from '../../../src/pollers/entry-schema.ts';
import {
  formatPollerChoice,
  formatPollerChoices,
  POLLERS,
  type PollerEntry,
  PollerSpecError,
  parsePollerSpec,
  registerPoller,
} from '../../../src/pollers/registry.ts';

test('labels show what was changed, plus the main parameter of pollers that have one', () => {
  const label = (spec: string) => formatPollerChoice(parsePollerSpec(spec));
  expect(label('fixed')).toBe('fixed');
  expect(label('fixed:gap=20s')).toBe('fixed:interval=10s,gap=20s');
  expect(label('fixed:interval=10000ms')).toBe('fixed');
  expect(label('adaptive:quantized=no')).toBe('adaptive:quantized=no');
  expect(label('backoff:factor=3')).toBe('backoff:base=1s,factor=3');
  // limiter's rpm=0 means "the published limit": never shown as if it were zero.
  expect(label('limiter:interval=1m')).toBe('limiter:interval=1m');
  expect(label('limiter:rpm=100')).toBe('limiter:rpm=100');
  // A label parses back to the same choice.
  for (const spec of ['fixed:gap=20s', 'adaptive:quantized=auto,min=1s', 'limiter:pause=30s'])
    expect(parsePollerSpec(label(spec))).toEqual(parsePollerSpec(spec));
});

test('in a study that lists a poller more than once, each of its rows shows the main parameter', () => {
  const labels = (...specs: string[]) => formatPollerChoices(specs.map(parsePollerSpec));
  expect(labels('fixed:interval=2s', 'fixed', 'adaptive', 'oracle')).toEqual([
    'fixed:interval=2s',
    'fixed:interval=10s',
    'adaptive',
    'oracle',
  ]);
  // Alone, the default stays short; a poller without a main parameter shows only what changed.
  expect(labels('fixed', 'adaptive', 'adaptive:quantized=no')).toEqual([
    'fixed',
    'adaptive',
    'adaptive:quantized=no',
  ]);
});

test('a bad spec names the poller, the parameter and what was expected', () => {
  expect(() => parsePollerSpec('adaptive:quantized=maybe')).toThrow(PollerSpecError);
  expect(() => parsePollerSpec('adaptive:quantized=maybe')).toThrow(/quantized.*yes, auto, no/);
});

test('parameters that contradict each other are refused, defaults included', () => {
  // Both ran: adaptive polled every `max` (below `min`), backoff every `cap` (a fixed poller).
  expect(() => parsePollerSpec('adaptive:min=2m,max=1m')).toThrow(
    "adaptive in 'adaptive:min=2m,max=1m': min (2m) exceeds max (1m)",
  );
  expect(() => parsePollerSpec('adaptive:min=2m')).toThrow('min (2m) exceeds max (1m)');
  expect(() => parsePollerSpec('backoff:base=1h')).toThrow('base (1h) exceeds cap (1m)');
  expect(parsePollerSpec('adaptive:min=1m,max=1m').params.min).toBe(60_000);
  expect(parsePollerSpec('backoff:base=2m,cap=2m').params.cap).toBe(120_000);
});

test('a poller of your own can check its parameters together', () => {
  registerPoller('test-check', {
    summary: 'test',
    factory: () => ({}) as never,
    params: {
      low: { kind: 'duration', default: 1_000, doc: 'd' },
      high: { kind: 'duration', default: 5_000, doc: 'd' },
    },
    check: (params) => ((params.low as number) < (params.high as number) ? undefined : 'expected low < high'),
  });
  try {
    expect(() => parsePollerSpec('test-check:low=5s')).toThrow(
      "test-check in 'test-check:low=5s': expected low < high",
    );
    expect(parsePollerSpec('test-check:low=4s').params.low).toBe(4_000);
  } finally {
    delete POLLERS['test-check'];
  }
});

describe('registerPoller checks the entry, and names the field that is wrong', () => {
  const factory = () => ({});
  const entry = (params: unknown, more: object = {}) => ({ summary: 'test', params, factory, ...more });
  const refused = (value: unknown) => {
    try {
      registerPoller('test-entry', value as PollerEntry);
    } catch (error) {
      return error instanceof PollerSpecError ? error.message : `not a PollerSpecError: ${String(error)}`;
    }
    return 'registered';
  };
  const duration = (value: unknown) => ({ interval: { kind: 'duration', default: value, doc: 'd' } });

  test('the built-in entries pass', () => {
    for (const [name, builtIn] of Object.entries(POLLERS))
      expect([name, entryProblem(builtIn)]).toEqual([name, undefined]);
  });

  test.each([
    [undefined, 'expected a poller entry (factory, summary, params); got undefined'],
    [{ summary: 's', params: {}, factory: 3 }, 'factory: expected a function (ctx, params) => Poller'],
    [
      entry({ interval: { kind: 'duration', doc: 'd' } }),
      'params.interval.default: missing (expected a number)',
    ],
    [entry(duration(-1)), 'params.interval.default: expected a number ≥ 0; got -1'],
    [entry(duration('10s')), "params.interval.default: expected a number; got '10s'"],
    [
      entry({ x: { kind: 'number', default: 5, min: 0, max: 1, doc: 'd' } }),
      'params.x: expected min ≤ default ≤ max; got default 5, min 0, max 1',
    ],
    [
      entry({ x: { kind: 'int', default: 1.5, min: 0, doc: 'd' } }),
      'params.x.default: expected an integer; got 1.5',
    ],
    [
      entry({ x: { kind: 'enum', default: 'c', values: ['a', 'b'], doc: 'd' } }),
      "params.x: expected a default that is one of the values; got 'c', values 'a', 'b'",
    ],
    [
      entry({ x: { kind: 'bool', default: true, doc: 'd' } }),
      "params.x.kind: expected one of 'duration', 'number', 'int', 'enum'; got 'bool'",
    ],
    [
      entry({ 'a,b': duration(1).interval }),
      "params.a,b: not a name a --poller spec can hold (no spaces, ',', '=' or ':')",
    ],
    [entry({}, { main: 'interval' }), 'main: expected the name of one of its params'],
    [entry({}, { check: 'min<max' }), 'check: expected a function (params) => string | undefined'],
    [entry({}, { extra: 1 }), "unknown field 'extra'"],
    [entry({}, { extra: 1, more: 2 }), "unknown fields 'extra', 'more'"],
  ])('%j', (value, message) => {
    expect(refused(value)).toBe(`registerPoller('test-entry', …): ${message}`);
    expect(POLLERS['test-entry']).toBeUndefined(); // nothing registered: a corrected module can load
  });
});
