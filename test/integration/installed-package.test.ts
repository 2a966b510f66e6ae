import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundledScenarioNames } from '../../sim/scenario-file.ts';

// pollbench as a user gets it: `npm pack` (which builds dist/ through the prepare script), unpacked into
// a project's node_modules, then imported by plain Node, run through its bins and typechecked against
// its declarations. The project sits under out/ so that the unpacked copy finds its dependencies in
// this repository's node_modules, as it would find them in the user's; it has a package.json of its own,
// so `pollbench` is the unpacked copy there, not this repository.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT = join(ROOT, 'out', `installed-package-${process.pid}`);
const INSTALLED = join(PROJECT, 'node_modules', 'pollbench');
const BIN = join(PROJECT, 'node_modules', '.bin');

function run(command: string, args: readonly string[], cwd = PROJECT) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}
/** Plain Node, as a user's program runs: no type stripping inside node_modules, no source condition. */
const node = (...args: string[]) => run(process.execPath, args);
/** The repository's own command, from the .ts sources. */
const fromSources = (...args: string[]) => run(process.execPath, args, ROOT);

beforeAll(() => {
  rmSync(PROJECT, { recursive: true, force: true });
  mkdirSync(BIN, { recursive: true });
  run('npm', ['pack', '--silent', '--pack-destination', PROJECT], ROOT);
  const tarball = readdirSync(PROJECT).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${PROJECT}`);
  run('tar', ['-xzf', tarball]);
  renameSync(join(PROJECT, 'package'), INSTALLED);
  writeFileSync(
    join(PROJECT, 'package.json'),
    '{ "name": "user-project", "private": true, "type": "module" }\n',
  );
  // What npm's bin linking does on install.
  const bins = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8')).bin as Record<
    string,
    string
  >;
  for (const [name, target] of Object.entries(bins))
    symlinkSync(join('..', 'pollbench', target), join(BIN, name));
}, 180_000);
afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

describe('the installed package', () => {
  test('holds the compiled code, its declarations, the bundled scenarios and schemas, and no tests', () => {
    for (const entry of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/sim/index.js',
      'dist/src/msw.d.ts',
      'dist/sim/arbitraries.js',
      'dist/sim/arbitraries.d.ts',
    ]) {
      expect(existsSync(join(INSTALLED, entry)), entry).toBe(true);
    }
    for (const name of bundledScenarioNames()) {
      expect(existsSync(join(INSTALLED, 'scenarios', `${name}.yaml`)), name).toBe(true);
    }
    expect(readdirSync(join(INSTALLED, 'docs', 'schema')).sort()).toEqual([
      'scenario.schema.json',
      'seeds.schema.json',
      'summary.schema.json',
      'tiers.schema.json',
    ]);
    expect(existsSync(join(INSTALLED, 'test'))).toBe(false);
    for (const bin of readdirSync(BIN)) {
      expect(readFileSync(join(BIN, bin), 'utf8').startsWith('#!/usr/bin/env node\n'), bin).toBe(true);
    }
  });

  test('plain Node imports it and simulates exactly what the sources simulate', async () => {
    const program = `
      import { POLLBENCH_VERSION, parsePollerSpec } from 'pollbench';
      import { createHandlers } from 'pollbench/msw';
      import { loadScenario, runSimulation } from 'pollbench/sim';
      const scenario = loadScenario('burst');
      const result = await runSimulation({
        ...scenario,
        workload: { ...scenario.workload, jobs: 40, workers: 10 },
        pollers: ['adaptive', 'oracle'].map((spec) => parsePollerSpec(spec)),
      });
      console.log(JSON.stringify({
        version: POLLBENCH_VERSION,
        handlers: createHandlers({ tier: '1' }).length,
        metrics: result.pollers.map((p) => p.metrics),
      }));
    `;
    writeFileSync(join(PROJECT, 'program.mjs'), program);
    const installed = JSON.parse(node('program.mjs'));

    const { POLLBENCH_VERSION, parsePollerSpec } = await import('../../src/index.ts');
    const { loadScenario, runSimulation } = await import('../../sim/index.ts');
    const scenario = loadScenario('burst');
    const result = await runSimulation({
      ...scenario,
      workload: { ...scenario.workload, jobs: 40, workers: 10 },
      pollers: ['adaptive', 'oracle'].map((spec) => parsePollerSpec(spec)),
    });
    expect(installed.version).toBe(POLLBENCH_VERSION);
    expect(installed.handlers).toBeGreaterThan(0);
    expect(installed.metrics).toEqual(JSON.parse(JSON.stringify(result.pollers.map((p) => p.metrics))));
  });

  test('its arbitraries draw the studies the sources draw, each printed as a command the bin replays', async () => {
    const program = `
      import fc from 'fast-check';
      import { simulationArbitrary } from 'pollbench/arbitraries';
      const options = { tiers: ['1', '2'], pollers: ['adaptive', 'sdk'], faults: true };
      console.log(fc.sample(simulationArbitrary(options), { seed: 5, numRuns: 3 }).map((c) => fc.stringify(c)).join('\\n'));
    `;
    writeFileSync(join(PROJECT, 'arbitraries.mjs'), program);
    const commands = node('arbitraries.mjs').trim().split('\n');
    const { default: fc } = await import('fast-check');
    const { simulationArbitrary } = await import('../../sim/arbitraries.ts');
    const options = { tiers: ['1', '2'] as const, pollers: ['adaptive', 'sdk'], faults: true };
    expect(commands).toEqual(
      fc.sample(simulationArbitrary(options), { seed: 5, numRuns: 3 }).map((c) => fc.stringify(c)),
    );
    const args = (commands[0] ?? '').replace(/^npx pollbench-sim /, '').split(' ');
    expect(node(join(BIN, 'pollbench-sim'), ...args, '--json')).toBe(
      fromSources('sim/cli.ts', ...args, '--json'),
    );
  });

  test('its bins print what the repository commands print, worker threads included', () => {
    const sim = join(BIN, 'pollbench-sim');
    expect(node(sim, '--tier', 'free', '--json')).toBe(fromSources('sim/cli.ts', '--tier', 'free', '--json'));
    const study = [
      '--tier',
      '2',
      '--jobs',
      '40',
      '--poller',
      'adaptive',
      '--seeds',
      '1-3',
      '--threads',
      '2',
      '--json',
    ];
    expect(node(sim, ...study)).toBe(fromSources('sim/cli.ts', ...study));

    node(sim, '--tier', 'free', '--out', 'report');
    expect(readdirSync(join(PROJECT, 'report'))).toContain('requests-per-minute.png');
    expect(node(join(BIN, 'pollbench-report'), 'report/summary.json', '--out', 'again')).toContain(
      'report.md',
    );
  });

  test("its sim bin runs a poller of the project's own, given with --import, on worker threads too", () => {
    // The user's module takes registerPoller from the project's pollbench: the copy the bin runs.
    const example = readFileSync(join(ROOT, 'test', 'docs', 'examples', 'every-3s.ts'), 'utf8');
    writeFileSync(join(PROJECT, 'every-3s.ts'), example);
    const study = [
      '--import',
      'every-3s.ts',
      '--tier',
      '1',
      '--jobs',
      '8',
      '--poller',
      'every-3s',
      '--seeds',
      '1-3',
    ];
    const threads = node(join(BIN, 'pollbench-sim'), ...study, '--threads', '3', '--json');
    expect(JSON.parse(threads).pollers.map((p: { name: string }) => p.name)).toEqual(['every-3s', 'oracle']);
    expect(threads).toBe(node(join(BIN, 'pollbench-sim'), ...study, '--threads', '1', '--json'));
  });

  test("its help names the bins, since the user's project has no `npm run sim`", () => {
    expect(node(join(BIN, 'pollbench-sim'), '--help')).toMatch(/^Usage: pollbench-sim \[options\]/);
    expect(node(join(BIN, 'pollbench-serve'), '--help')).toMatch(/^Usage: pollbench-serve \[options\]/);
    const report = node(join(BIN, 'pollbench-report'), '--help');
    expect(report).toMatch(/^Usage: pollbench-report DIR\/summary\.json/);
    expect(report).not.toContain('npm run');
    expect(fromSources('sim/cli.ts', '--help')).toMatch(/^Usage: npm run sim -- \[options\]/);
  });

  test('TypeScript users get its types from the declarations', () => {
    // Each @ts-expect-error fails the check if its line is not an error. A declaration that does not
    // resolve turns the type into one that accepts anything, which skipLibCheck would hide otherwise.
    const program = `
      import OpenAI from 'openai';
      import { attachPoller, createMockOpenAI, parsePollerSpec, type PollerFactory, recordTraffic } from 'pollbench';
      import { createHandlers } from 'pollbench/msw';
      import { runSimulation, tierPreset } from 'pollbench/sim';
      import { simulationArbitrary } from 'pollbench/arbitraries';
      const result = await runSimulation({ ...tierPreset('free', 1), pollers: [parsePollerSpec('oracle')] });
      const requests: number = result.pollers[0]!.metrics.requests;
      // @ts-expect-error: a count of requests is a number
      const notText: string = result.pollers[0]!.metrics.requests;
      // @ts-expect-error: the tier is a checked union, not any string
      tierPreset('6', 1);
      // @ts-expect-error: the mock's options are checked
      createMockOpenAI({ tier: 'free', seed: 'one' });
      // @ts-expect-error: so are the handlers' (same options)
      createHandlers({ latency: 5 });
      // @ts-expect-error: the arbitraries' options are checked too
      simulationArbitrary({ tiers: ['6'] });
      // @ts-expect-error: a poller factory takes a context and parameters, not a number
      const factory: PollerFactory = (n: number) => n;
      // Only typechecked, never run: a poller around a client of the real API, its traffic recorded.
      const recorded = recordTraffic(new OpenAI({ apiKey: 'sk-x' }), (record) => record.rejectedBy === 'rpm');
      // @ts-expect-error: a record's status is a number
      recordTraffic(recorded, (record) => record.status.toUpperCase());
      const poller = attachPoller(recorded, 'adaptive', { tier: '1', model: 'gpt-4.1-mini' });
      const created = await poller.send((client) =>
        client.responses.create({ model: 'gpt-4.1-mini', input: 'x', background: true }),
      );
      // waitFor gives back the SDK's own type for the job.
      const text: string = (await poller.waitFor(created)).output_text;
      // @ts-expect-error: waitFor takes the job object, not its id
      poller.waitFor('resp_1');
      // @ts-expect-error: send takes a function that makes the call
      poller.send(created);
      console.log(requests, notText, factory, text);
    `;
    writeFileSync(join(PROJECT, 'program.ts'), program);
    writeFileSync(
      join(PROJECT, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2024',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['program.ts'],
      }),
    );
    run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', PROJECT]);
  });
});
