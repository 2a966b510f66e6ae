import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  bundledScenarioNames,
  loadScenario,
  loadScenarioStudy,
  parseScenario,
  parseScenarioStudy,
  SCENARIOS_DIR,
} from '../../sim/scenario-file.ts';
import { InputFileError } from '../../src/server/limits/limits-file.ts';

const EXPECTED = [
  'batch',
  'burst',
  'flaky',
  'free-tier',
  'quantized',
  'seed-article',
  'shared-org',
  'tier-1',
  'tier-2',
  'tier-3',
  'tier-4',
  'tier-5',
  'vector-store',
];

describe('bundled scenarios', () => {
  test('are all there', () => {
    expect(bundledScenarioNames()).toEqual(EXPECTED);
  });
  test.each(EXPECTED)('%s loads, and opens with a one-line purpose', (name) => {
    const text = readFileSync(join(SCENARIOS_DIR, `${name}.yaml`), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# \S.{20,}$/);
    const config = loadScenario(name);
    expect(config.scenario).toBe(name);
    expect(config.pollers.length).toBeGreaterThan(0);
  });
  test('seed-article is the seed program as written', () => {
    const config = loadScenario('seed-article');
    expect(config.pollers[0]).toEqual({
      name: 'fixed',
      params: { interval: 10_000, gap: 20_000, retries: 2, lang: 'node' },
    });
    expect(config.workload).toMatchObject({
      flow: 'assistants',
      model: 'gpt-3.5-turbo',
      jobs: 10,
      workers: 1,
      clients: 1,
    });
    expect(config.mock.tier).toBe('free');
  });
});

const base = `name: t
description: a test
tier: "1"
model: gpt-4.1
workload:
  flow: responses
  jobs: 2
pollers: [adaptive]
`;

function errorOf(text: string): InputFileError {
  try {
    parseScenario('/tmp/t.yaml', text);
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error('expected an InputFileError');
}

describe('scenario errors name the file, the field, the line and what was expected', () => {
  test('an unknown field is an error, not ignored', () => {
    const error = errorOf(`${base}colour: blue\n`);
    expect(error.message).toBe("/tmp/t.yaml:9: unknown field 'colour'");
  });
  test('a nested unknown field names its path and line', () => {
    const error = errorOf(base.replace('  jobs: 2\n', '  jobs: 2\n  wrokers: 3\n'));
    expect(error.field).toBe('workload');
    expect(error.line).toBe(8);
    expect(error.expected).toBe("unknown field 'wrokers' (did you mean 'workers'?)");
  });
  test('a misspelt field is told before the field it leaves missing, on the line of its key', () => {
    // 'wrkload' leaves 'workload' missing too; the typo is what to fix. Its value starts a line later.
    const error = errorOf(base.replace('workload:', 'wrkload:'));
    expect(error.message).toBe("/tmp/t.yaml:5: unknown field 'wrkload' (did you mean 'workload'?)");
    // The outermost first, though zod lists the nested one first.
    const both = errorOf(base.replace('model:', 'modle:').replace('jobs: 2', 'jobz: 2'));
    expect(both.message).toBe("/tmp/t.yaml:4: unknown field 'modle' (did you mean 'model'?)");
  });
  test('a tier may be written as YAML reads it, a number or a string; any other is refused', () => {
    expect(parseScenario('/tmp/t.yaml', base.replace('tier: "1"', 'tier: 1')).mock.tier).toBe('1');
    expect(errorOf(base.replace('tier: "1"', 'tier: 7')).message).toBe(
      '/tmp/t.yaml:3: tier: expected one of free, 1, 2, 3, 4, 5, or several (free,1,2, 1-5, all, or a list of them); got 7',
    );
  });
  test('a tier naming several is a study at each; one run is at the first', () => {
    const at = (tier: string, model = 'gpt-4.1') =>
      parseScenarioStudy('/tmp/t.yaml', base.replace('tier: "1"', tier).replace('gpt-4.1', model));
    expect(at('tier: "1"').study).not.toHaveProperty('tiers');
    expect(at('tier: [1]').study).not.toHaveProperty('tiers');
    expect(at('tier: 2,4').study.tiers).toEqual(['2', '4']);
    expect(at('tier: [3, "1-2"]').study.tiers).toEqual(['3', '1', '2']);
    expect(at('tier: all', 'gpt-4.1-mini').study.tiers).toEqual(['free', '1', '2', '3', '4', '5']);
    expect(at('tier: 2-5').config.mock.tier).toBe('2');
  });
  test.each([
    [
      'tier: [1, 9]',
      'item 2 of the list: expected one of free, 1, 2, 3, 4, 5, a range such as 1-5, or all; got 9',
    ],
    ['tier: 1,1-2', "1 is named twice in '1,1-2'"],
    ['tier: 5-2', "the range '5-2' runs backwards"],
    ['tier: []', 'expected a tier or several (free,1,2, 1-5, all, or a list of them); got an empty list'],
    // The model of the seed program is not at every tier: every tier listed must have it.
    ['tier: 1,free', 'gpt-4.1 has no limits in free (it has: gpt-3.5-turbo, '],
  ])('%j is refused, on its line', (tier, expected) => {
    const error = errorOf(base.replace('tier: "1"', tier));
    expect(error.message.startsWith(`/tmp/t.yaml:${tier.endsWith('free') ? 4 : 3}: `)).toBe(true);
    expect(error.expected.startsWith(expected)).toBe(true);
  });
  test('a bad value says what was expected', () => {
    const error = errorOf(base.replace('jobs: 2', 'jobs: lots'));
    expect(error.field).toBe('workload.jobs');
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/^\/tmp\/t\.yaml:7: workload\.jobs: .*number/);
  });
  test('a workload too big to hold is refused before it runs, on the field that makes it so', () => {
    const jobs = errorOf(base.replace('jobs: 2', 'jobs: 600000\n  clients: 2'));
    expect(jobs.message).toBe(
      '/tmp/t.yaml:7: workload.jobs: at most 1,000,000 jobs in one run (jobs × clients); got 600,000 × 2',
    );
    expect(errorOf(base.replace('jobs: 2', 'jobs: 2\n  clients: 10001')).field).toBe('workload.clients');
    const prompt = errorOf(base.replace('jobs: 2', 'jobs: 2\n  promptChars: 2000000'));
    expect(prompt.field).toBe('workload.promptChars');
    expect(prompt.line).toBe(8);
  });
  test('a quantization slice of zero', () => {
    const error = errorOf(`${base}server:\n  limiter:\n    quantize: 0s\n`);
    expect(error.field).toBe('server.limiter.quantize');
    expect(error.expected).toBe('expected a slice longer than 0 and shorter than 1m, such as 1s');
  });
  test('a fault window that ends before it starts', () => {
    const error = errorOf(
      `${base}server:\n  faults:\n    windows: [{ kind: overloaded, from: 2m, to: 1m }]\n`,
    );
    expect(error.field).toBe('server.faults.windows.0.to');
    expect(error.expected).toBe('expected a time after from: a window is [from, to)');
  });
  test('a poller listed twice', () => {
    const error = errorOf(
      base.replace('pollers: [adaptive]', 'pollers: [adaptive, oracle, "adaptive:tail=0.1"]'),
    );
    expect(error.field).toBe('pollers.2');
    expect(error.expected).toBe(
      "'adaptive' is listed twice: the same poller on the same seed gives the same figures",
    );
  });
  test('a missing field is called missing', () => {
    expect(errorOf(base.replace('pollers: [adaptive]\n', '')).message).toBe(
      '/tmp/t.yaml:1: pollers: missing (expected a list)',
    );
  });
  test('each wrong value is said as "expected …; got …", whatever its type', () => {
    const said = (extra: string) => errorOf(`${base}${extra}`).expected;
    expect(said('horizon: true\n')).toBe('expected a duration such as 10s, 500ms or 2m; got true');
    expect(said('horizon: [1]\n')).toBe('expected a duration such as 10s, 500ms or 2m; got a list');
    expect(said('seed: -1\n')).toBe('expected a number ≥ 0; got -1');
    expect(said('seed: 1.5\n')).toBe('expected an integer; got 1.5');
    expect(said('server:\n  faults:\n    serverErrorRate: 2\n')).toBe('expected a number ≤ 1; got 2');
    const arrival = errorOf(base.replace('workload:', 'workload:\n  arrival: 5')).expected;
    expect(arrival).toBe('expected all, gap:DURATION or poisson:DURATION; got 5');
  });
  test('a number without its unit is refused with the two readings, wherever a duration goes', () => {
    const said = (yaml: string) => errorOf(yaml).expected;
    expect(said(`${base}horizon: 6\n`)).toBe(
      'expected a duration such as 10s, 500ms or 2m; got 6 (a number needs its unit: 6s or 6ms)',
    );
    expect(said(base.replace('workload:', 'workload:\n  arrival: gap:20'))).toBe(
      "expected all, gap:DURATION or poisson:DURATION; got 'gap:20' (a number needs its unit: 20s or 20ms)",
    );
    const params = errorOf(
      base.replace('pollers: [adaptive]', 'pollers:\n  - name: fixed\n    params: { interval: 10, gap: 0 }'),
    );
    expect(params.field).toBe('pollers.0');
    expect(params.expected).toBe(
      "fixed.interval in pollers.0: expected a duration such as 10s or 500ms; got '10' (a number needs its unit: 10s or 10ms)",
    );
    // 0 is 0 in any unit; a parameter that is not a duration reads a YAML number as before.
    const read = parseScenario(
      '/tmp/t.yaml',
      base.replace('pollers: [adaptive]', 'pollers:\n  - name: backoff\n    params: { gap: 0, factor: 3 }'),
    );
    expect(read.pollers[0]?.params).toMatchObject({ gap: 0, factor: 3 });
  });
  test('a horizon of zero', () => {
    expect(errorOf(`${base}horizon: 0s\n`).message).toBe(
      '/tmp/t.yaml:9: horizon: expected a duration above zero, such as 6h',
    );
  });
  test('a bad distribution', () => {
    const error = errorOf(`${base}server:\n  latency:\n    request: gaussian:1s\n`);
    expect(error.field).toBe('server.latency.request');
    expect(error.expected).toContain('lognormal:MEDIAN:SIGMA');
  });
  test('a bad poller spec', () => {
    const error = errorOf(base.replace('pollers: [adaptive]', 'pollers: ["fixed:every=2s"]'));
    expect(error.field).toBe('pollers.0');
    expect(error.expected).toContain("fixed has no parameter 'every'");
  });
  test('a model without limits in the tier', () => {
    expect(errorOf(base.replace('model: gpt-4.1', 'model: gpt-2')).message).toContain(
      'model: gpt-2 has no limits in tier-1',
    );
  });
  test('a model without limits behind countAgainst (its route would answer 404 every time)', () => {
    const error = errorOf(`${base}server:\n  countAgainst:\n    files.create: gpt-2\n`);
    expect(error.field).toBe('server.countAgainst.files.create');
    expect(error.expected).toMatch(/^gpt-2 has no limits in tier-1 \(it has: /);
    expect(error.line).toBe(base.split('\n').length + 2); // the line of 'files.create: gpt-2'
  });
  test("a seed past 2^53, in the words the flags use, not zod's", () => {
    expect(errorOf(`${base}seed: 1e20\n`).expected).toBe(
      'expected an integer ≤ 9007199254740991; got 100000000000000000000',
    );
  });
  test('tier and limits together', () => {
    expect(errorOf(`${base}limits: { models: { gpt-4.1: { rpm: 5 } } }\n`).expected).toBe(
      'give exactly one of tier and limits',
    );
  });
  test('invalid YAML gives the line', () => {
    const error = errorOf('name: t\n  description: [\n');
    expect(error.expected).toMatch(/^not valid YAML/);
    expect(error.line).toBeGreaterThan(0);
  });
  // A few lines of nested aliases stand for billions of values: the yaml library stops at 100 aliases a
  // node and throws a bare ReferenceError, which reached the user as a stack trace.
  const aliasBomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
    .concat(
      ['b', 'c', 'd', 'e', 'f'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`),
    )
    .join('\n');
  test('aliases that expand too far are a file error, not a crash', () => {
    const error = errorOf(aliasBomb);
    expect(error.message).toBe(
      '/tmp/t.yaml: not valid YAML: Excessive alias count indicates a resource exhaustion attack',
    );
  });
  test('an empty file, or one that is not a mapping, says what a scenario is', () => {
    expect(errorOf('').expected).toMatch(/^the file is empty: expected scenario fields \(name, tier/);
    expect(errorOf('- adaptive\n').message).toMatch(/^\/tmp\/t\.yaml:1: not a mapping: expected/);
  });
  test('a missing scenario lists the bundled ones', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(/no such scenario \(bundled: batch, burst/);
  });
});

test('inline limits work instead of a tier', () => {
  const config = parseScenario(
    '/tmp/t.yaml',
    base.replace('tier: "1"', 'limits:\n  name: mine\n  models:\n    gpt-4.1: { rpm: 7, tpm: 1000 }'),
  );
  expect(config.mock.limits?.models['gpt-4.1']).toEqual({ rpm: 7, tpm: 1000 });
});

describe("a scenario's study: seeds, tune, tuneGrid, heldOut", () => {
  const study = (extra: string) => parseScenarioStudy('/tmp/t.yaml', `${base}${extra}`).study;
  test('a file without them is one run, at its seed (default 1)', () => {
    expect(study('')).toEqual({});
    expect(parseScenario('/tmp/t.yaml', base).seed).toBe(1);
    expect(parseScenario('/tmp/t.yaml', `${base}seed: 7\n`).seed).toBe(7);
  });
  test('seeds as --seeds takes them, as a YAML list, or one integer', () => {
    expect(study('seeds: 1-3,9\n').seeds).toEqual([1, 2, 3, 9]);
    expect(study('seeds: [4, 2, 4]\n').seeds).toEqual([4, 2]);
    expect(study('seeds: 5\n').seeds).toEqual([5]);
  });
  test('tune, parsed as --tune; searched over 1-10 unless seeds are given', () => {
    const tuned = study('tune: fixed:interval=1s..30s\ntuneGrid: 12\nheldOut: none\n');
    expect(tuned.tune?.spec).toBe('fixed:interval=1s..30s');
    expect(tuned.tune?.target).toMatchObject({ poller: 'fixed', param: 'interval', low: 1000, high: 30_000 });
    expect(tuned).toMatchObject({ gridPoints: 12, heldOutSeeds: [] });
    expect(tuned).not.toHaveProperty('seeds');
    expect(study('tune: fixed:interval=1s..30s\nseeds: 3-4\nheldOut: [5, 6]\n')).toMatchObject({
      seeds: [3, 4],
      heldOutSeeds: [5, 6],
    });
    // Named values listed beside a range, as --tune takes them; YAML needs no quotes around the |.
    expect(study('tune: backoff:base=250ms..10s,jitter=full|equal\n').tune?.target.second).toEqual({
      param: 'jitter',
      kind: 'enum',
      low: 0,
      high: 1,
      values: ['full', 'equal'],
    });
  });
  test.each([
    ['seeds: ten\n', 9, 'seeds', "expected seeds and ranges such as 1-10 or 1,4,9 (integers ≥ 0); got 'ten'"],
    ['seeds: [1, x]\n', 9, 'seeds', 'expected a list of seeds (integers ≥ 0); got a list'],
    ['seeds: 5-1\n', 9, 'seeds', "the range '5-1' runs backwards"],
    ['seeds: 0-5000\n', 9, 'seeds', "at most 1000 seeds in one run; '0-5000' names more"],
    ['seed: 2\nseeds: 1-3\n', 10, 'seeds', 'give seed (one run) or seeds (a study across them), not both'],
    [
      'seed: 2\ntune: fixed:interval=1s..30s\n',
      10,
      'tune',
      'a setting is tuned over several seeds, not one: give them as seeds (default 1-10), not seed',
    ],
    [
      'tune: fixed:every=1s..3s\n',
      9,
      'tune',
      "fixed has no parameter 'every' (in 'fixed:every=1s..3s'); expected interval, gap, retries, lang",
    ],
    [
      'tune: backoff:jitter=none..full\n',
      9,
      'tune',
      "backoff.jitter in 'backoff:jitter=none..full' takes one of none, full, equal, decorrelated, not a range: search several beside a range as jitter=none|full (quoted in a shell), or all as jitter=*",
    ],
    ['tuneGrid: 4\n', 9, 'tuneGrid', 'says how tune searches: give tune (e.g. fixed:interval=1s..30s) too'],
    ['heldOut: 11-20\n', 9, 'heldOut', 'says how tune searches: give tune (e.g. fixed:interval=1s..30s) too'],
    [
      'tune: fixed:interval=1s..30s,gap=0s..9s\ntuneGrid: 9\n',
      10,
      'tuneGrid',
      'with two ranges it is a side of the grid, at most 8 (64 settings, each run on every seed); got 9',
    ],
    [
      'tune: fixed:interval=1s..30s\nheldOut: 8-12\n',
      10,
      'heldOut',
      'seed 8 is one the search sees (seeds 1–10): held-out seeds must be others',
    ],
  ])('%j is refused on its line, naming the field', (extra, line, field, expected) => {
    let error: unknown;
    try {
      parseScenarioStudy('/tmp/t.yaml', `${base}${extra}`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toMatchObject({ line, field, expected });
  });
  test('a study under scenarios/studies/ is found by name, as studies/NAME; a missing one lists them', () => {
    const byName = loadScenarioStudy('studies/seed-program-sleeps');
    expect(byName).toEqual(loadScenarioStudy(join(SCENARIOS_DIR, 'studies', 'seed-program-sleeps.yaml')));
    expect(() => loadScenarioStudy('studies/seed-program-sleep')).toThrow(
      /no such scenario \(did you mean 'studies\/seed-program-sleeps'\?\) \(bundled: batch, .*; studies: studies\/seed-program-sleeps, studies\/seed-program-tiers\)$/,
    );
    // A path from . or / is the user's own file, never looked for under scenarios/.
    expect(() => loadScenarioStudy('./no/such-file')).toThrow(/no[/]such-file: cannot be read \(ENOENT\)$/);
  });
  test('the bundled study of the seed program loads as one', () => {
    const { config, study } = loadScenarioStudy('studies/seed-program-sleeps');
    expect(config.pollers.map((p) => p.name)).toEqual(['fixed', 'adaptive']);
    expect(study.seeds).toHaveLength(10);
    expect(study.tune?.spec).toBe('fixed:interval=1s..60s,gap=0s..60s');
    expect(study.heldOutSeeds).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });
});

describe('docs/schema/scenario.schema.json, for editors (checked by ajv, not zod)', () => {
  const schema = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../docs/schema/scenario.schema.json', import.meta.url)), 'utf8'),
  ) as object;
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  const files = [
    ...bundledScenarioNames().map((name) => join(SCENARIOS_DIR, `${name}.yaml`)),
    ...readdirSync(join(SCENARIOS_DIR, 'studies')).map((file) => join(SCENARIOS_DIR, 'studies', file)),
  ];
  test.each(files)('%s meets it', (file) => {
    expect(validate(parseYaml(readFileSync(file, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });
  test('so does a tune that lists named values, or all of them', () => {
    for (const tune of ['backoff:base=250ms..10s,jitter=full|equal', 'backoff:base=250ms..10s,jitter=*'])
      expect(validate(parseYaml(`${base}tune: ${tune}\n`)), JSON.stringify(validate.errors)).toBe(true);
  });
  test.each([
    ['an unknown field', `${base}colour: blue\n`, 'additionalProperties'],
    ['a misspelt workload field', base.replace('jobs: 2', 'jobz: 2'), 'additionalProperties'],
    ['a flow that is not one', base.replace('flow: responses', 'flow: stream'), 'enum'],
    ['an arrival of no known kind', base.replace('jobs: 2', 'jobs: 2\n  arrival: soon'), 'pattern'],
    ['a seed list of the wrong type', `${base}seeds: { from: 1 }\n`, 'type'],
    ['a tier that is not one', base.replace('tier: "1"', 'tier: 9'), 'maximum'],
    ['a list of tiers with one that is not', base.replace('tier: "1"', 'tier: [free, six]'), 'pattern'],
    ['tier and limits together', `${base}limits: limits.yaml\n`, 'oneOf'],
    ['neither tier nor limits', base.replace('tier: "1"\n', ''), 'oneOf'],
    ['a poller spec without its value', base.replace('[adaptive]', '["fixed:interval"]'), 'pattern'],
    ['a poller named in capitals', base.replace('[adaptive]', '[{ name: Fixed }]'), 'pattern'],
    ['a tune spec with a doubled comma', `${base}tune: fixed:interval=1s..9s,,gap=0s..1s\n`, 'pattern'],
    ['no pollers', base.replace('pollers: [adaptive]\n', ''), 'required'],
  ])('a file with %s does not', (_, text, keyword) => {
    expect(validate(parseYaml(text))).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toContain(keyword);
  });
  test('the loader accepts what the README shows under "The format", and so does the schema', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const yaml = /The format:\n\n```yaml\n([\s\S]*?)^```$/m.exec(readme)?.[1] ?? '';
    expect(validate(parseYaml(yaml)), JSON.stringify(validate.errors)).toBe(true);
  });
});
