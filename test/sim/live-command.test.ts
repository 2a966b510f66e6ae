import { execFile, spawn, spawnSync } from 'node:child_process';
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

  test('Ctrl-C: the run under way stops, its jobs are cancelled, what it measured is printed, exit 130', async () => {
    const mock = quickWallClockMock(2, 30_000, 40_000);
    const server = await startHttpServer(mock, { port: 0 });
    try {
      const child = spawn(
        process.execPath,
        [
          '--conditions=pollbench-source',
          CLI,
          ...['--base-url', server.url, '--tier', '1', '--jobs', '3', '--workers', '3', '--pause', '0s'],
          ...['--poller', 'fixed:interval=300ms', '--poller', 'adaptive', '--json'],
        ],
        { env: withoutKey },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Once the three jobs are created and polled, as a person would press Ctrl-C.
      while (mock.requests.filter((r) => r.route === 'responses.retrieve').length < 3)
        await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGINT');
      const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000));
      expect(await Promise.race([exited, timeout])).toBe(130);
      expect(stderr).toContain('live: interrupted: cancelling the jobs still running');
      expect(stderr).toContain('live: 1 poller not run');
      const summary = JSON.parse(stdout) as LiveSummary;
      expect(summary.live.map((p) => p.spec)).toEqual(['fixed:interval=300ms']);
      const [run] = summary.live;
      expect(run?.stopped).toBe('interrupted: Ctrl-C');
      expect(run?.jobs).toEqual({ completed: 0, failed: 0, abandoned: 3 });
      expect(run?.cancels.map((c) => [c.status, c.error])).toEqual(Array(3).fill(['cancelled', null]));
      // The server's jobs were cancelled, and the run's own requests are all it counted besides.
      expect(mock.jobs.map((job) => job.status(Number.POSITIVE_INFINITY))).toEqual(
        Array(3).fill('cancelled'),
      );
      // Besides the ones it counted (answered), the server may have read one request a worker that Ctrl-C
      // aborted before its answer came back: the run cannot count a request it got no answer to.
      const seen = mock.requests.filter((r) => r.route !== 'responses.cancel').length;
      expect(seen).toBeGreaterThanOrEqual(run?.requests ?? Number.POSITIVE_INFINITY);
      expect(seen).toBeLessThanOrEqual((run?.requests ?? 0) + 3);
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
    [
      ['--poller', 'fixed:lang=python', '--base-url', 'http://127.0.0.1:9/v1'],
      /^live: fixed has lang=python, which only simulations emulate/m,
    ],
    [
      ['--lang', 'python', '--base-url', 'http://127.0.0.1:9/v1'],
      /^live: fixed has lang=python, which only simulations emulate/m,
    ],
    [['--base-url', 'somewhere'], /--base-url: expected a URL/],
    [['--pause', 'soon', '--base-url', 'http://127.0.0.1:9/v1'], /--pause: expected a duration/],
    [['--seeds', '1-3'], /unknown option '--seeds'/],
    [['--tune-grid', '4'], /unknown option '--tune-grid'/],
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
