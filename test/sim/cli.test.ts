import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const CLI = fileURLToPath(new URL('../../sim/cli.ts', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
const EMPTY_FILE = join(mkdtempSync(join(tmpdir(), 'pollbench-cli-')), 'empty.yaml');
writeFileSync(EMPTY_FILE, '');
// The timeout turns a hang into a failure (status null) rather than a stuck suite.
const sim = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run sim', () => {
  test('prints one row per poller for the seed scenario', () => {
    const { status, stdout } = sim('--tier', 'free');
    expect(status).toBe(0);
    expect(stdout).toContain('seed-article');
    for (const name of ['fixed:interval=10s,gap=20s', 'backoff', 'adaptive', 'sdk', 'limiter', 'oracle'])
      expect(stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
  });

  test('--json prints only the summary document', () => {
    const { status, stdout } = sim(
      '--tier',
      '1',
      '--jobs',
      '6',
      '--workers',
      '3',
      '--poller',
      'fixed:interval=2s',
      '--poller',
      'adaptive',
      '--json',
    );
    expect(status).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      schema: 'pollbench/summary@1',
      tier: '1',
      model: 'gpt-4.1',
      seed: 1,
      transport: 'fast',
    });
    expect(summary.pollers.map((p: { name: string }) => p.name)).toEqual(['fixed', 'adaptive', 'oracle']);
    for (const p of summary.pollers) {
      for (const key of [
        'name',
        'params',
        'requests',
        'rateLimited',
        'errors',
        'jobs',
        'makespanMs',
        'throughputPerMin',
        'detectionDelayMs',
        'pollsPerJob',
        'efficiency',
      ])
        expect(p).toHaveProperty(key);
    }
  });

  test.each([
    [['--tier', 'gold'], '--tier: expected one of'],
    [['--jobs', '0'], '--jobs: expected an integer ≥ 1'],
    [['--poller', 'fixed:every=3s'], "fixed has no parameter 'every'"],
    [['--transport', 'grpc'], '--transport: expected fast or sdk'],
    [['--arrival', 'soon'], '--arrival: expected all, gap:DURATION or poisson:DURATION'],
    [['--model', 'gpt-2'], '--model: gpt-2 has no limits in free'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['--limits', '/nonexistent/limits.yaml'], '/nonexistent/limits.yaml: cannot be read'],
    [['--limits', EMPTY_FILE], `${EMPTY_FILE}: the file is empty: expected a limits table`],
    // Checked before the run: a directory that cannot be written costs no simulation.
    [['--out', `${PACKAGE_JSON}/report`], `--out ${PACKAGE_JSON}/report: ${PACKAGE_JSON} is not a directory`],
  ])('%j is a usage error: exit code 2, a message, no stack', (args, message) => {
    const { status, stderr, stdout } = sim(...args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  // Node's own mkdirSync(…, { recursive: true }) never returns for a path under /proc.
  test.runIf(existsSync('/proc/self'))('--out under /proc is refused at once, not a hang', () => {
    const { status, stderr, stdout } = sim('--out', '/proc/pollbench/report', '--jobs', '1');
    expect(status).toBe(2);
    expect(stderr).toContain('--out /proc/pollbench/report: cannot create /proc/pollbench');
    expect(stdout).toBe('');
  });
});
