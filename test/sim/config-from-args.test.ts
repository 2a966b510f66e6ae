import { describe, expect, test } from 'vitest';
import { replayCommand } from '../../sim/replay-command.ts';
import { configFromArgs, studyArgs } from '../../sim/sim-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';

describe('configFromArgs', () => {
  test('is the study the sim command runs: a scenario or a tier preset, overridden by each flag', () => {
    const config = configFromArgs(['--tier', '2', '--jobs', '3', '--poller', 'adaptive', '--seed', '9']);
    expect(config).toMatchObject({ scenario: 'tier-2', seed: 9, workload: { jobs: 3, model: 'gpt-4.1' } });
    expect(config.pollers).toEqual([{ name: 'adaptive', params: expect.any(Object) }]);
  });

  test('a flag that takes one value may be repeated with the same value; a repeatable one with any', () => {
    expect(configFromArgs(['--tier', '2', '--jobs', '3', '--tier', '2']).scenario).toBe('tier-2');
    expect(configFromArgs(['--poller', 'fixed', '--poller', 'adaptive']).pollers.map((p) => p.name)).toEqual([
      'fixed',
      'adaptive',
    ]);
    expect(() => configFromArgs(['--jobs', '3', '--jobs=4'])).toThrow(
      new UsageError("--jobs: given twice ('3', then '4'); it takes one value"),
    );
  });

  test("flags that change the scenario's figures are added to its description; pollers and seeds are not", () => {
    const own = configFromArgs(['--tier', 'free']).description;
    expect(own).toMatch(/10 files/);
    expect(configFromArgs(['--tier', 'free', '--poller', 'adaptive', '--seed', '3']).description).toBe(own);
    expect(configFromArgs(['--tier', 'free', '--jobs', '2', '--no-retry-after']).description).toBe(
      `${own} Here with --jobs 2, --no-retry-after.`,
    );
    // --tier picks the preset, unless a scenario is named: then it changes it.
    expect(configFromArgs(['--scenario', 'burst', '--tier', '2']).description).toMatch(
      / Here with --tier 2\.$/,
    );
  });

  test.each([
    ['--json'],
    ['--out', 'x'],
    ['--seeds', '1-3'],
    ['--import', 'x.ts'],
    ['--stall-timeout', '5s'],
    ['--help'],
  ])('refuses %s: it is about output or several runs, not one study', (...args) => {
    expect(() => configFromArgs(args)).toThrow(/not one simulation/);
  });

  test('bad flags throw the UsageError the command would print', () => {
    expect(() => configFromArgs(['--tier', '9'])).toThrow(
      /--tier: expected one of free, 1, 2, 3, 4, 5, a list .*; got '9'/,
    );
    // A config is one study: several tiers are several configs.
    expect(() => configFromArgs(['--tier', 'all'])).toThrow(
      /--tier all: names 6 tiers, and one study runs at one/,
    );
    expect(() => configFromArgs(['--bogus'])).toThrow(UsageError);
    expect(() => configFromArgs(['--transport', 'sdk', '--poller', 'fixed:lang=python'])).toThrow(
      /^--transport sdk: fixed has lang=python, whose SDK rules only the fast transport emulates; the sdk transport runs the openai SDK for Node$/,
    );
    expect(() => configFromArgs(['--poller', 'fixed:lang=perl'])).toThrow(/lang/);
  });

  test('--lang sets the SDK of every poller that has one, and refuses a spec that names its own', () => {
    const python = configFromArgs(['--lang', 'python']);
    expect(python.pollers.map((p) => `${p.name}:${p.params?.lang}`)).toEqual([
      'fixed:python',
      'backoff:python',
      'adaptive:python',
      'sdk:python',
      'limiter:python',
      'oracle:undefined',
    ]);
    expect(configFromArgs(['--lang', 'python', '--poller', 'fixed:interval=2s']).pollers).toEqual([
      parsePollerSpec('fixed:interval=2s,lang=python'),
    ]);
    expect(() => configFromArgs(['--lang', 'python', '--poller', 'sdk:lang=node'])).toThrow(
      '--lang python: --poller sdk:lang=node names its own lang; give one or the other',
    );
    expect(() => configFromArgs(['--lang', 'perl'])).toThrow(
      "--lang: expected one of node, python, python-2.51; got 'perl'",
    );
    expect(() => configFromArgs(['--lang', 'python', '--transport', 'sdk'])).toThrow(
      /^--transport sdk: fixed has lang=python/,
    );
  });
});

describe('studyArgs', () => {
  test('keeps the flags that define the study, in order, and drops the seed and the output flags', () => {
    const args = [
      '--import=mine.ts',
      '--stall-timeout',
      '1m',
      '--seeds',
      '1-4',
      '--scenario',
      'burst',
      '--json',
      '--out',
      'out/x',
      '--no-count-failed',
      '--threads',
      '2',
      '--poller',
      'mine:interval=3s',
      '--seed',
      '7',
      '--poller',
      'adaptive',
    ];
    expect(studyArgs(args)).toEqual([
      '--import',
      'mine.ts',
      '--stall-timeout',
      '1m',
      '--scenario',
      'burst',
      '--no-count-failed',
      '--poller',
      'mine:interval=3s',
      '--poller',
      'adaptive',
    ]);
    expect(replayCommand(studyArgs(args), 'N')).toBe(
      'npm run sim -- --import mine.ts --stall-timeout 1m --scenario burst --no-count-failed --poller mine:interval=3s --poller adaptive --seed N',
    );
  });

  test('quotes what the shell would split or expand', () => {
    expect(replayCommand(['--scenario', 'my scenarios/it’s.yaml', '--arrival', 'gap:20s'], 2)).toBe(
      "npm run sim -- --scenario 'my scenarios/it’s.yaml' --arrival gap:20s --seed 2",
    );
    expect(replayCommand(['--scenario', "o'clock.yaml"], 1)).toBe(
      `npm run sim -- --scenario 'o'\\''clock.yaml' --seed 1`,
    );
  });
});
