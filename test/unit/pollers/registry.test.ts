import { expect, test } from 'vitest';
import {
  formatPollerChoice,
  formatPollerChoices,
  PollerSpecError,
  parsePollerSpec,
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
