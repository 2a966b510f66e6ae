import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const SIM = fileURLToPath(new URL('../../sim/cli.ts', import.meta.url));
const REPORT = fileURLToPath(new URL('../../reports/cli.ts', import.meta.url));
const FILES = [
  'summary.json',
  'report.md',
  'report.html',
  'trace.jsonl',
  'requests-per-minute.png',
  'detection-delay-cdf.png',
  'rate-limits-and-throughput.png',
  'polls-vs-detection-delay.png',
];

let dir: string;
let again: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pollbench-report-'));
  again = mkdtempSync(join(tmpdir(), 'pollbench-rerender-'));
  const run = spawnSync(process.execPath, [SIM, '--scenario', 'seed-article', '--out', dir, '--trace'], {
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(again, { recursive: true, force: true });
});

describe('npm run sim -- --out DIR --trace', () => {
  test('writes the summary, the reports, four PNG charts and the trace', () => {
    for (const file of FILES) expect(readFileSync(join(dir, file)).length, file).toBeGreaterThan(0);
    for (const png of FILES.filter((f) => f.endsWith('.png'))) {
      expect(readFileSync(join(dir, png)).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
    }
  });

  test('report.md has the scenario, the table, a reading computed from the numbers, and the charts', () => {
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(md).toContain('# pollbench report: seed-article');
    expect(md).toContain('| seed | 1');
    const fixed = summary.pollers[0];
    expect(md).toContain(`made ${fixed.requests} requests and got ${fixed.rateLimited} rate-limit 429s`);
    expect(md).toMatch(/\*\*Use \S+\*\*/);
    for (const png of FILES.filter((f) => f.endsWith('.png'))) expect(md).toContain(`](${png})`);
  });

  test('trace.jsonl has one line per request, with the fields the issue lists', () => {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const lines = readFileSync(join(dir, 'trace.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(
      summary.pollers.reduce((n: number, p: { requests: number }) => n + p.requests, 0),
    );
    expect(Object.keys(lines[0]).sort()).toEqual([
      'client',
      'job',
      'poller',
      'rejectedBy',
      'remainingRequests',
      'remainingTokens',
      'route',
      'status',
      't',
    ]);
    expect(lines.some((l) => l.status === 429 && l.rejectedBy === 'rpm')).toBe(true);
  });

  test('report.html is self-contained: Chart.js inlined, no external resource', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('new Chart(');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/);
  });

  test('npm run report re-renders byte-identical files from summary.json alone', () => {
    // Given the directory, it finds the summary.json there.
    const run = spawnSync(process.execPath, [REPORT, dir, '--out', again], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    for (const file of FILES.filter((f) => f !== 'trace.jsonl')) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file))), file).toBe(true);
    }
  });

  test('npm run report rejects what is not a summary, with exit code 2', () => {
    const run = spawnSync(process.execPath, [REPORT, join(dir, 'trace.jsonl')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('not valid JSON');
  });

  test('npm run report given a directory with no summary says so, with exit code 2', () => {
    const empty = mkdtempSync(join(tmpdir(), 'pollbench-empty-'));
    try {
      const run = spawnSync(process.execPath, [REPORT, empty], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`${empty}: a directory with no summary.json, seeds.json or tiers.json`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('npm run report names an --out it cannot write, with exit code 2', () => {
    const target = join(dir, 'report.md', 'again');
    const run = spawnSync(process.execPath, [REPORT, join(dir, 'summary.json'), '--out', target], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${target}: ${join(dir, 'report.md')} is not a directory`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
