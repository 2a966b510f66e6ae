import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import type { LiveSummary } from '../../reports/live-summary.ts';
import { startHttpServer } from '../../src/server/http-server.ts';
import { quickWallClockMock } from '../helpers/wall-clock-mock.ts';

const CLI = fileURLToPath(new URL('../../sim/live-cli.ts', import.meta.url));
const withoutKey = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' };
// The timeout turns a hang into a failure rather than a stuck suite.
const live = (args: readonly string[], env: NodeJS.ProcessEnv = withoutKey) =>
  spawnSync(process.execPath, ['--conditions=pollbench-source', CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });

describe('npm run live', () => {
  test('runs each poller against a server, and prints its figures beside the simulation of the study', async () => {
    const mock = quickWallClockMock(2, 200, 800);
    const server = await startHttpServer(mock, { port: 0 });
    try {
      // The server answers from this process: the command runs beside it, not blocking it.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--conditions=pollbench-source',
          CLI,
          ...['--base-url', server.url, '--tier', '1', '--jobs', '3', '--workers', '3', '--pause', '0s'],
          ...['--poller', 'fixed:interval=300ms', '--poller', 'adaptive', '--json'],
        ],
        { encoding: 'utf8', timeout: 60_000, env: withoutKey },
      );
      const summary = JSON.parse(stdout) as LiveSummary;
      expect(summary.schema).toBe('pollbench/live@1');
      expect(summary.baseURL).toBe(server.url);
      expect(summary.live.map((p) => p.spec)).toEqual(['fixed:interval=300ms', 'adaptive']);
      // Every request the server saw, counted by the runs that sent it.
      expect(summary.live.reduce((sum, p) => sum + p.requests, 0)).toBe(mock.requests.length);
      for (const run of summary.live) {
        expect(run.jobs.completed + run.jobs.failed).toBe(3);
        expect(run.efficiency).toBeNull();
        expect(run.stopped).toBeNull();
      }
      // The simulated study beside it, the oracle included, as sim --json prints it.
      expect(summary.pollers.map((p) => p.spec)).toEqual(['fixed:interval=300ms', 'adaptive', 'oracle']);
      expect(summary.studyArgs).toEqual([
        ...['--tier', '1', '--jobs', '3', '--workers', '3'],
        ...['--poller', 'fixed:interval=300ms', '--poller', 'adaptive'],
      ]);
    } finally {
      await server.close();
    }
  });

  test('no server there: the runs end, the table says so, and the command exits 1', () => {
    const { status, stdout, stderr } = live([
      ...['--base-url', 'http://127.0.0.1:9/v1', '--tier', '1', '--jobs', '2', '--poller', 'fixed'],
    ]);
    expect(stderr).toContain('live: no request to http://127.0.0.1:9/v1 was answered');
    expect(status).toBe(1);
    expect(stdout).toMatch(/^fixed · live .* 0\/0\/2 /m);
  });

  test.each([
    [
      ['--poller', 'oracle', '--base-url', 'http://127.0.0.1:9/v1'],
      /--poller oracle: .*only a simulation can tell/,
    ],
    [['--base-url', 'somewhere'], /--base-url: expected a URL/],
    [['--pause', 'soon', '--base-url', 'http://127.0.0.1:9/v1'], /--pause: expected a duration/],
    [['--seeds', '1-3'], /unknown option '--seeds'/],
    [['--jobs', '0', '--base-url', 'http://127.0.0.1:9/v1'], /--jobs/],
    [
      ['--base-url', 'https://api.openai.com/v1', '--tier', '1', '--jobs', '2'],
      /creates 2 real job\(s\) .* add --yes/,
    ],
    [['--base-url', 'https://api.openai.com/v1', '--tier', '1', '--yes'], /set OPENAI_API_KEY/],
    [
      ['--base-url', 'https://api.openai.com/v1', '--tier', 'free', '--yes'],
      /runs the Assistants flow, and OpenAI shut the Assistants API down on 2026-08-26.*--workload responses/,
    ],
  ])('%s: a message and exit 2, nothing sent', (args, message) => {
    const { status, stderr, stdout } = live(args);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(status).toBe(2);
    expect(stdout).toBe('');
  });

  test('--help says what it runs, and that it is billed', () => {
    const { status, stdout } = live(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: npm run live -- [options]');
    expect(stdout).toContain('--yes');
  });
});
