import { expect, test } from 'vitest';
import { didYouMean } from '../../src/core/did-you-mean.ts';

test.each([
  ['--poler', ['--poller', '--port', '--seed'], " (did you mean '--poller'?)"],
  ['burts', ['batch', 'burst', 'flaky'], " (did you mean 'burst'?)"],
  ['adaptiv', ['fixed', 'adaptive'], " (did you mean 'adaptive'?)"],
  ['--frobnicate', ['--poller', '--tier', '--json'], ''],
  ['foo', ['fixed', 'backoff', 'oracle'], ''],
  ['anything', [], ''],
  ['', ['fixed'], ''],
])('%s among %j: %j', (input, candidates, hint) => {
  expect(didYouMean(input, candidates)).toBe(hint);
});
