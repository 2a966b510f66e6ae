import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { type Summary, summarize } from '../../reports/summary.ts';
import { jsonSchemas, readReportDocument } from '../../reports/summary-schema.ts';
import { summarizeTiers } from '../../reports/tiers-summary.ts';
import { summaryJson } from '../../reports/write-report.ts';
import { runSimulation } from '../../sim/engine.ts';
import { loadScenario, scenarioJsonSchema } from '../../sim/scenario-file.ts';
import { tunePoller } from '../../sim/tune.ts';
import { parseTuneSpec } from '../../sim/tune-spec.ts';
import { InputFileError } from '../../src/server/limits/limits-file.ts';
import { smallPreset } from '../helpers/sim-configs.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const SCHEMA_DIR = fileURLToPath(new URL('../../docs/schema/', import.meta.url));
const REPORT = fileURLToPath(new URL('../../reports/cli.ts', import.meta.url));
const committed = (name: 'summary' | 'seeds' | 'tiers' | 'scenario') =>
  JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as object;

// The published JSON Schemas are generated from the schemas `npm run report` checks with. Regenerate
// deliberately with: UPDATE_GOLDEN=1 npx vitest run test/reports/summary-schema.test.ts
test('docs/schema/*.schema.json are the current schemas', () => {
  for (const [name, schema] of Object.entries({ ...jsonSchemas(), scenario: scenarioJsonSchema() })) {
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    const file = join(SCHEMA_DIR, `${name}.schema.json`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
    expect(text, file).toBe(readFileSync(file, 'utf8'));
  }
});

describe('what sim writes is valid against the published JSON Schemas (checked by ajv, not zod)', () => {
  const ajv = new Ajv2020({ allErrors: true });
  const check = (name: 'summary' | 'seeds' | 'tiers', doc: unknown) => {
    const validate = ajv.compile(committed(name));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    return validate;
  };

  test('summary.json, and a summary with a wrong field is not', async () => {
    const doc = JSON.parse(summaryJson(summarize(await runSimulation(loadScenario('seed-article')))));
    const validate = check('summary', doc);
    doc.pollers[0].jobs.completed = 'ten';
    expect(validate(doc)).toBe(false);
  });

  test('tiers.json, of runs and of studies across seeds; one with a study missing or wrong is not', async () => {
    const config = (tier: 'free' | '2') => smallPreset(tier, 1, { jobs: 3, workers: 3 });
    const runs = await Promise.all(
      (['free', '2'] as const).map(async (t) => summarize(await runSimulation(config(t)))),
    );
    const doc = JSON.parse(
      summaryJson(summarizeTiers(['free', '2'], runs, { studyArgs: ['--tier', 'free,2'] })),
    );
    const validate = check('tiers', doc);
    const across = summarizeSeeds([runs[0] as Summary]);
    check('tiers', JSON.parse(summaryJson(summarizeTiers(['free'], [across]))));
    // One study of each kind is neither all runs nor all studies across seeds.
    expect(validate({ ...doc, studies: [doc.studies[0], across] })).toBe(false);
    doc.studies[1].pollers[0].requests = -1;
    expect(validate(doc)).toBe(false);
    // The count of studies against tiers is zod's to check: npm run report names the field.
    expect(() => readReportDocument('tiers.json', { ...doc, studies: [runs[0]] })).toThrow(/studies/);
  });

  test.each([
    ['every figure present', 'free', 6 * 3_600_000],
    ['every run cut short, so the spreads are null', '1', 3_000],
  ] as const)('seeds.json, %s', async (_, tier, horizonMs) => {
    const config = { ...smallPreset(tier, 1, { jobs: 3, workers: 3 }), horizonMs };
    const runs = await Promise.all(
      [1, 2].map(async (seed) => summarize(await runSimulation({ ...config, seed }))),
    );
    const seeds = summarizeSeeds(runs);
    expect(seeds.pollers.some((p) => p.efficiency === null)).toBe(horizonMs === 3_000);
    check('seeds', JSON.parse(summaryJson(seeds)));
  });

  test('seeds.json of a --tune study, with its tuning; a tuning with a wrong field is not', async () => {
    const config = { ...smallPreset('1', 1, { jobs: 6, workers: 3 }), pollers: [] };
    const target = parseTuneSpec('fixed:interval=1s..4s');
    const tuned = await tunePoller(config, target, [1, 2], { threads: 1, gridPoints: 3, refineRounds: 1 });
    const doc = JSON.parse(summaryJson(tuned));
    const validate = check('seeds', doc);
    expect(doc.tuning.heldOut.seeds).toEqual([3, 4]);
    doc.tuning.atEnd = 'middle';
    expect(validate(doc)).toBe(false);
  });

  test('seeds.json of a --tune study over two parameters; a second parameter with a wrong field is not', async () => {
    const config = { ...smallPreset('1', 1, { jobs: 6, workers: 3 }), pollers: [] };
    const target = parseTuneSpec('fixed:interval=1s..4s,gap=0s..2s');
    const tuned = await tunePoller(config, target, [1], { threads: 1, gridPoints: 2, refineRounds: 1 });
    const doc = JSON.parse(summaryJson(tuned));
    const validate = check('seeds', doc);
    expect(doc.tuning.second).toMatchObject({ param: 'gap', low: 0, high: 2000 });
    expect(doc.tuning.tried[0]).toMatchObject({ value: 1000, second: 0, round: 0 });
    doc.tuning.second.atEnd = 'middle';
    expect(validate(doc)).toBe(false);
  });
});

describe('npm run report names the first wrong field of a summary, never a stack trace', () => {
  type Doc = { schema: unknown; seed: unknown; pollers: Record<string, unknown>[] };
  const good = (): Doc =>
    JSON.parse(
      readFileSync(fileURLToPath(new URL('../golden/seed-article.summary.json', import.meta.url)), 'utf8'),
    );
  const errorOf = (doc: unknown) => {
    try {
      readReportDocument('s.json', doc);
    } catch (error) {
      if (error instanceof InputFileError) return error.message;
      throw error;
    }
    throw new Error('expected an InputFileError');
  };

  test('a valid summary comes back as it was written (key order, and fields a later version adds)', () => {
    const doc = { ...good(), addedLater: 1 };
    expect(readReportDocument('s.json', doc)).toBe(doc);
  });
  test.each([
    [
      'a missing field',
      (d: Doc) => delete d.pollers[1]?.perMinute,
      's.json: pollers.1.perMinute: missing (expected a mapping)',
    ],
    ['a wrong type', (d: Doc) => (d.seed = '1'), "s.json: seed: expected a number; got '1'"],
    [
      'a negative count',
      (d: Doc) => ((d.pollers[0] as Doc['pollers'][0]).requests = -1),
      's.json: pollers.0.requests: expected a number ≥ 0; got -1',
    ],
    [
      // The reading would say "one request every Infinity h" (it divides a minute by the RPM).
      'a zero limit',
      (d: Doc) => ((d as unknown as { limits: { rpm: number } }).limits.rpm = 0),
      's.json: limits.rpm: expected a number > 0; got 0',
    ],
    [
      'another document',
      (d: Doc) => (d.schema = 'pollbench/summary@2'),
      's.json: schema: not a pollbench summary',
    ],
  ])('%s', (_, edit, message) => {
    const doc = good();
    edit(doc);
    expect(errorOf(doc)).toContain(message);
  });
  test('a document that is not an object', () => {
    expect(errorOf([1, 2])).toContain('not a pollbench summary');
    expect(errorOf(null)).toContain('not a pollbench summary');
  });

  test('through the command: exit code 2, the field named, nothing written', () => {
    const dir = tempDir('badsummary');
    const doc = good();
    delete doc.pollers[1]?.perMinute;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(doc));
    const run = spawnSync(process.execPath, [REPORT, join(dir, 'summary.json')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('summary.json: pollers.1.perMinute: missing (expected a mapping)');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(join(dir, 'report.md'))).toThrow();
  });
});
