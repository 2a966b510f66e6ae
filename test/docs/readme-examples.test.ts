import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import type { TunedSummary } from '../../reports/tuning.ts';
import { parseScenario } from '../../sim/scenario-file.ts';
import { startHttpServer } from '../../src/server/http-server.ts';
import { docsTunedSummary } from '../helpers/docs-summary.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { quickWallClockMock } from '../helpers/wall-clock-mock.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');

/**
 * Every TypeScript block in the README, with the file it must equal: the marker
 * `<!-- example: PATH -->` on the line before the fence. The files are ordinary project files, so
 * `npm test` typechecks and lints them; here they are compared with the README and run.
 */
const blocks = [...README.matchAll(/^(.*)\n```ts\n([\s\S]*?)^```$/gm)].map(([, before, code]) => ({
  file: /^<!-- example: (\S+) -->$/.exec(before ?? '')?.[1],
  code: code ?? '',
}));

describe("the README's TypeScript examples", () => {
  test('there are some, and each names the file it is copied from', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(block.file, block.code.slice(0, 80)).toBeDefined();
  });

  test.each(blocks.map((b) => [b.file ?? '(unmarked)', b.code]))(
    '%s is in the README verbatim and runs',
    async (file, code) => {
      expect(code, `the README's copy of ${file} differs from the file`).toBe(
        readFileSync(`${ROOT}${file}`, 'utf8'),
      );
      // Run as a user would: `pollbench` resolves to this package through its own "exports", here to
      // the sources (test/integration/installed-package.test.ts runs the compiled copy a user installs).
      // A module the README hands to `sim --import` runs that way, with the poller it registers.
      const poller = README.includes(`--import ${file}`)
        ? /registerPoller\('([a-z0-9-]+)'/.exec(code)?.[1]
        : undefined;
      const args =
        poller === undefined
          ? [`${ROOT}${file}`]
          : [
              `${ROOT}sim/cli.ts`,
              '--import',
              `${ROOT}${file}`,
              '--tier',
              '1',
              '--jobs',
              '4',
              '--poller',
              poller,
            ];
      // A program for the real API (`new OpenAI()` reads OPENAI_BASE_URL) runs against the mock over
      // loopback HTTP on the wall clock, its jobs made short. The server answers from this process, so
      // the program runs beside it, not blocking it.
      if (code.includes('new OpenAI()')) {
        const mock = quickWallClockMock(1, 100, 400);
        const server = await startHttpServer(mock, { port: 0 });
        try {
          const { stdout } = await promisify(execFile)(
            process.execPath,
            ['--conditions=pollbench-source', ...args],
            {
              encoding: 'utf8',
              timeout: 60_000,
              env: { ...process.env, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-readme' },
            },
          );
          expect(stdout).not.toBe('');
          expect(mock.requests.length).toBeGreaterThan(0);
          expect(mock.requests.every((r) => r.status === 200)).toBe(true);
          // A program that counts its own requests (recordTraffic) counts what the server saw.
          const counted = /^(\d+) requests/m.exec(stdout)?.[1];
          if (counted !== undefined) expect(Number(counted)).toBe(mock.requests.length);
        } finally {
          await server.close();
        }
        return;
      }
      const run = spawnSync(process.execPath, ['--conditions=pollbench-source', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).not.toBe('');
      if (poller !== undefined) expect(run.stdout).toMatch(new RegExp(`^${poller}\\s`, 'm'));
    },
  );
});

describe("the README's scenario format", () => {
  test('is a scenario the loader accepts, with every field it shows', () => {
    const yaml = /The format:\n\n```yaml\n([\s\S]*?)^```$/m.exec(README)?.[1];
    expect(yaml).toBeDefined();
    const config = parseScenario(`${ROOT}README.md`, yaml ?? '');
    expect(config).toMatchObject({ scenario: 'my-study', workload: { flow: 'responses', jobs: 100 } });
    expect(config.mock.latency?.response?.duration).toEqual({
      kind: 'lognormal',
      medianMs: 20_000,
      sigma: 0.7,
      maxMs: 1_200_000,
    });
    expect(config.pollers.map((p) => p.name)).toEqual(['fixed', 'backoff', 'adaptive', 'oracle']);
  });
});

describe("the README's study in a file", () => {
  const section = /^### A study in a file[\s\S]*?^## /m.exec(README)?.[0] ?? '';
  const [yaml, output, tiersYaml] = [...section.matchAll(/^```(?:yaml)?\n([\s\S]*?)^```$/gm)].map(
    ([, body]) => body ?? '',
  );
  const path = 'scenarios/studies/seed-program-sleeps.yaml';

  test('shows the files as they are', () => {
    expect(yaml).toBe(readFileSync(`${ROOT}${path}`, 'utf8'));
    expect(tiersYaml).toBe(readFileSync(`${ROOT}scenarios/studies/seed-program-tiers.yaml`, 'utf8'));
  });

  test("prints what the README shows, and searches as docs/tune-seed-2d's --tune did", () => {
    const dir = tempDir('readme-study');
    const run = spawnSync(
      process.execPath,
      ['--conditions=pollbench-source', `${ROOT}sim/cli.ts`, '--scenario', `${ROOT}${path}`, '--out', dir],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    // Its lines, in its order, among those printed (the README leaves most of the 118 rows out).
    const printed = run.stdout.split('\n');
    let at = 0;
    for (const line of (output ?? '').trimEnd().split('\n')) {
      const found = printed.indexOf(line, at);
      expect(found, line).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
    const study = JSON.parse(readFileSync(join(dir, 'seeds.json'), 'utf8')) as TunedSummary;
    expect(study.tuning).toEqual(docsTunedSummary('tune-seed-2d').tuning);
  });
});
