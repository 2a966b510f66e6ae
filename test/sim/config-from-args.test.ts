import { describe, expect, test } from 'vitest';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

describe('configFromArgs', () => {
  test('is the study the sim command runs: a scenario or a tier preset, overridden by each flag', () => {
    const config = configFromArgs(['--tier', '2', '--jobs', '3', '--poller', 'adaptive', '--seed', '9']);
    expect(config).toMatchObject({ scenario: 'tier-2', seed: 9, workload: { jobs: 3, model: 'gpt-4.1' } });
    expect(config.pollers).toEqual([{ name: 'adaptive', params: expect.any(Object) }]);
  });

  test.each([['--json'], ['--out', 'x'], ['--seeds', '1-3'], ['--import', 'x.ts'], ['--help']])(
    'refuses %s: it is about output or several runs, not one study',
    (...args) => {
      expect(() => configFromArgs(args)).toThrow(/not one simulation/);
    },
  );

  test('bad flags throw the UsageError the command would print', () => {
    expect(() => configFromArgs(['--tier', '9'])).toThrow(
      /--tier: expected one of free, 1, 2, 3, 4, 5; got '9'/,
    );
    expect(() => configFromArgs(['--bogus'])).toThrow(UsageError);
  });
});
