import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { readReportDocument } from '../../reports/summary-schema.ts';
import type { TiersSummary } from '../../reports/tiers-summary.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../sim/cli.ts', import.meta.url));
const REPORT = fileURLToPath(new URL('../../reports/cli.ts', import.meta.url));
// The timeout turns a hang into a failure (status null) rather than a stuck suite.
const run = (cli: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=pollbench-source', cli, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
const sim = (...args: string[]) => run(CLI, ...args);
/** Each tier's bundled study, small enough to run in a moment. */
const SMALL = ['--jobs', '4', '--workers', '2'];

describe('npm run sim -- --tier LIST', () => {
  test("--json prints one document; each tier's study is what its own flags print alone", () => {
    const { status, stdout, stderr } = sim('--tier', 'free,1', ...SMALL, '--json');
    expect(status, stderr).toBe(0);
    const doc = readReportDocument('stdout', JSON.parse(stdout)) as TiersSummary;
    expect(doc.schema).toBe('pollbench/tiers@1');
    expect(doc.tiers).toEqual(['free', '1']);
    expect(doc.seeds).toBeNull();
    expect(doc.studyArgs).toEqual(['--tier', 'free,1', ...SMALL]);
    expect(doc.studies.map((s) => s.tier)).toEqual(['free', '1']);
    for (const [i, study] of doc.studies.entries()) {
      expect(study.studyArgs).toEqual([...SMALL, '--tier', doc.tiers[i]]);
      const alone = sim(...(study.studyArgs as string[]), '--json');
      expect(alone.status, alone.stderr).toBe(0);
      expect(`${JSON.stringify(study, null, 2)}\n`).toBe(alone.stdout);
    }
  });

  test('prints a row per poller and a column per tier, then each tier in a line and its best', () => {
    const { status, stdout, stderr } = sim('--tier', '1-2', ...SMALL);
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^pollbench · tiers 1, 2, each its own study \(below\)$/m);
    expect(stdout).toMatch(/^poller\s+tier 1\s+tier 2$/m);
    expect(stdout).toMatch(/^oracle\s+1\.00\s+1\.00$/m);
    expect(stdout).toMatch(/^tier 1 {2}tier-1 · gpt-4\.1: 500 RPM · 30,000 TPM · responses flow, 4 jobs/m);
    expect(stdout).toMatch(/^tier 2 {2}tier-2 · gpt-4\.1: 5,000 RPM/m);
    expect(stdout.match(/^ {8}(Soonest without a 429|No poller)/gm)).toHaveLength(2);
  });

  test('with --scenario, every tier runs that study; its description leaves --tier out', () => {
    const { status, stdout, stderr } = sim('--scenario', 'seed-article', '--tier', 'free,3', '--jobs', '2');
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(
      /^pollbench · seed-article at tiers free, 3 — The seed program .* Here with --jobs 2\.$/m,
    );
    expect(stdout).toMatch(/^tier 3 {2}seed-article · gpt-3\.5-turbo: 3,500 RPM/m);
  });

  test('with --seeds, each tier is a study across them, as its own flags give it', () => {
    const { status, stdout, stderr } = sim('--tier', 'free,2', ...SMALL, '--seeds', '1-2', '--json');
    expect(status, stderr).toBe(0);
    const doc = readReportDocument('stdout', JSON.parse(stdout)) as TiersSummary;
    expect(doc.seeds).toEqual([1, 2]);
    for (const study of doc.studies) {
      expect(study.schema).toBe('pollbench/seeds@1');
      const alone = sim(...(study.studyArgs as string[]), '--seeds', '1-2', '--json');
      expect(`${JSON.stringify(study, null, 2)}\n`).toBe(alone.stdout);
    }
  });

  test('--out writes tiers.json, its pages and charts, and each tier its own report; report re-renders them', () => {
    const dir = tempDir('tiers');
    const { status, stdout, stderr } = sim('--tier', 'free,1', ...SMALL, '--out', dir, '--trace');
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(
      /wrote .*tiers\.json, .*tiers-efficiency\.png, .*tiers-429s\.png, .*tiers\.md, .*tiers\.html, .*tier-free\/, .*tier-1\/$/m,
    );
    const own = ['summary.json', 'report.md', 'report.html', 'trace.jsonl'];
    for (const tier of ['tier-free', 'tier-1'])
      expect(readdirSync(join(dir, tier))).toEqual(expect.arrayContaining(own));
    const md = readFileSync(join(dir, 'tiers.md'), 'utf8');
    expect(md).toContain('| poller | free | tier 1 |');
    expect(md).toContain('Full report: [tier-1/report.md](tier-1/report.md)');
    const html = readFileSync(join(dir, 'tiers.html'), 'utf8');
    expect(html).toContain('<a href="tier-free/report.html">');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/);
    // tier-T/summary.json is that tier's document in tiers.json, as --tier T --out would write it.
    const doc = JSON.parse(readFileSync(join(dir, 'tiers.json'), 'utf8')) as TiersSummary;
    expect(JSON.parse(readFileSync(join(dir, 'tier-1', 'summary.json'), 'utf8'))).toEqual(doc.studies[1]);
    const again = tempDir('tiers-again');
    const report = run(REPORT, dir, '--out', again);
    expect(report.status, report.stderr).toBe(0);
    for (const file of ['tiers.json', 'tiers.md', 'tiers.html', 'tiers-efficiency.png', 'tiers-429s.png'])
      expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file))), file).toBe(true);
    expect(readFileSync(join(again, 'tier-free', 'report.md'), 'utf8')).toBe(
      readFileSync(join(dir, 'tier-free', 'report.md'), 'utf8'),
    );
  });

  test("--tune searches at each tier: a row per tier, each tier's search what its own flags find alone", () => {
    const tune = [
      '--tune',
      'fixed:interval=1s..60s',
      '--tune-grid',
      '4',
      '--seeds',
      '1-2',
      '--held-out',
      '3',
    ];
    const { status, stdout, stderr } = sim('--tier', 'free,1', ...SMALL, ...tune, '--json');
    expect(status, stderr).toBe(0);
    const doc = readReportDocument('stdout', JSON.parse(stdout)) as TiersSummary;
    expect(doc.seeds).toEqual([1, 2]);
    for (const [i, study] of doc.studies.entries()) {
      expect(study).toHaveProperty('tuning.spec', 'fixed:interval=1s..60s');
      // --tier last, as the document names it, so that the two name every setting tried alike.
      const alone = sim(...SMALL, ...tune, '--tier', doc.tiers[i] as string, '--json');
      expect(alone.status, alone.stderr).toBe(0);
      expect(`${JSON.stringify(study, null, 2)}\n`).toBe(alone.stdout);
    }
    const dir = tempDir('tiers-tune');
    const text = sim('--tier', 'free,1', ...SMALL, ...tune, '--out', dir);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^tier\s+best interval\s+with 429s\s+efficiency mean\s+worst\s+requests\/run/m,
    );
    expect(text.stdout).toMatch(/^free\s+\S+/m);
    expect(text.stdout).toMatch(/^tier 1\s+\S+/m);
    expect(text.stdout).toMatch(/wrote .*tiers\.json, .*tiers-efficiency\.png, .*tiers-best-interval\.png, /);
    expect(readdirSync(join(dir, 'tier-1'))).toEqual(
      expect.arrayContaining(['seeds.json', 'tuning-curve.png']),
    );
    const again = tempDir('tiers-tune-again');
    const report = run(REPORT, dir, '--out', again);
    expect(report.status, report.stderr).toBe(0);
    for (const file of ['tiers.md', 'tiers.html', 'tiers-efficiency.png', 'tiers-best-interval.png'])
      expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file))), file).toBe(true);
  });

  test.each([
    ['Comparing tiers', /\(`npm run sim -- (--scenario seed-article --tier all --seeds [^`]+)`\)/],
    ['At every tier: the search', /\(`npm run sim -- (--scenario seed-article --tier all --tune [^`]+)`/],
    [
      'At every tier: each best at every tier',
      /\(`npm run sim -- (--scenario seed-article --tier all --seeds 1-10 --poller fixed:interval=31s[^`]+)`\)/,
    ],
  ])("the README's seed program at every tier (%s) is what sim prints", (_, pattern) => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const command = pattern.exec(readme.replace(/\s*\n\s*/g, ' '))?.[1];
    expect(command).toBeDefined();
    const { status, stdout } = sim(...(command as string).split(' '));
    expect(status).toBe(0);
    expect(readme).toContain(`\n\`\`\`\n${stdout}\`\`\`\n`);
  });

  test.each([
    [
      ['--tier', 'free,1', '--tune', 'fixed:interval=1s..5s', '--held-out', '1'],
      '--held-out: seed 1 is one the search sees',
    ],
    [['--tier', '1,2', '--limits', 'my-limits.yaml'], '--limits replaces a tier'],
    [['--tier', '1,1'], "1 is named twice in '1,1'"],
    [['--tier', '5-3'], "the range '5-3' runs backwards"],
    [['--tier', 'free,1', '--model', 'gpt-4.1'], '--model: gpt-4.1 has no limits in free'],
  ])('%j is refused before anything runs, with exit code 2', (args, message) => {
    const { status, stdout, stderr } = sim(...args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});
