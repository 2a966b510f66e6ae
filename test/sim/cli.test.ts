import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { SeedsSummary } from '../../reports/seeds-summary.ts';
import { readReportDocument } from '../../reports/summary-schema.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { cacheEntries } from '../helpers/compile-cache.ts';
import { SMALL_TIER_1_FLAGS } from '../helpers/sim-configs.ts';
import { blockTempDir, tempDir } from '../helpers/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../sim/cli.ts', import.meta.url));
const REPORT = fileURLToPath(new URL('../../reports/cli.ts', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
const EMPTY_FILE = join(tempDir('cli', 'file'), 'empty.yaml');
writeFileSync(EMPTY_FILE, '');
// The timeout turns a hang into a failure (status null) rather than a stuck suite.
// As `npm run sim` runs it: `pollbench` in a module given to --import resolves to the sources.
const sim = (...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=pollbench-source', CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

/** The words of a `npm run sim -- …` command as the shell would pass them (all bare here). */
const wordsAfterDashes = (command: string) => command.split(' ').slice(command.split(' ').indexOf('--') + 1);

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
    [
      ['--poller', 'fixed:interval=10s,interval=5s'],
      "'interval' is given twice in 'fixed:interval=10s,interval=5s'",
    ],
    [['--transport', 'grpc'], '--transport: expected fast or sdk'],
    [['--arrival', 'soon'], '--arrival: expected all, gap:DURATION or poisson:DURATION'],
    [['--model', 'gpt-2'], '--model: gpt-2 has no limits in free'],
    [['--frobnicate'], "sim: unknown option '--frobnicate'\nRun with --help"],
    [['--poler', 'fixed'], "sim: unknown option '--poler' (did you mean '--poller'?)\nRun with --help"],
    [
      ['--poller', 'adaptiv'],
      "unknown poller 'adaptiv' in 'adaptiv' (did you mean 'adaptive'?): expected one of",
    ],
    [['--scenario', 'burts'], "no such scenario (did you mean 'burst'?) (bundled: batch, burst"],
    [['--tier'], 'sim: --tier: expected a value; got none'],
    [['--json=yes'], 'sim: --json: expected no value (it is a switch)'],
    [
      ['--seed', '-5'],
      "sim: --seed: expected a value; got an argument starting with '-' (to give one, write --seed=VALUE)",
    ],
    [['--horizon', '0s'], '--horizon: expected a duration above zero'],
    // 10 s or 10 ms? A poller meant to sleep 10 s once polled every 10 ms.
    [
      ['--horizon', '10'],
      "--horizon: expected a duration such as 10s, 500ms or 2m; got '10' (a number needs its unit: 10s or 10ms)",
    ],
    [['--poller', 'fixed:interval=2'], "got '2' (a number needs its unit: 2s or 2ms)"],
    [['--tune', 'fixed:interval=1..60s'], "got '1' (a number needs its unit: 1s or 1ms)"],
    [
      ['--response-duration', 'lognormal:8:0.6'],
      "got 'lognormal:8:0.6' (a number needs its unit: 8s or 8ms)",
    ],
    [
      ['--quantize', '0s'],
      "--quantize: expected a slice longer than 0 and shorter than 1m, such as 1s; got '0s'",
    ],
    [['--quantize', '1m'], '--quantize: expected a slice longer than 0 and shorter than 1m'],
    // An unset shell variable (--out "$DIR") must not scatter report files into the current directory.
    [['--out', ''], "--out: expected a directory; got ''"],
    [['--scenario', ''], "--scenario: expected a bundled scenario's name (batch, burst, "],
    [['--jobs', '600000', '--clients', '2'], '--jobs × --clients: at most 1,000,000 jobs in one run'],
    [['--clients', '10001'], '--clients: at most 10,000 clients; got 10,001'],
    // Past 2^53 two seeds would be the same number, and a job count would not fit in memory anyway.
    [['--seed', '99999999999999999999'], '--seed: at most 9007199254740991'],
    // Accepted by `serve`; in a simulation it would make the mock refuse every client.
    [['--api-key', 'sk-mine'], '--api-key: the simulated clients authenticate as sk-client-N'],
    [[`--org= org-pollbench`], '--org: expected an id of printable ASCII characters'],
    [['--limits', '/nonexistent/limits.yaml'], '/nonexistent/limits.yaml: cannot be read'],
    [['--limits', EMPTY_FILE], `${EMPTY_FILE}: the file is empty: expected a limits table`],
    [['--seeds', '5-2'], "--seeds: the range '5-2' runs backwards"],
    [['--seeds', 'all'], '--seeds: expected seeds and ranges such as 1-10'],
    [['--seeds', '1-3', '--seed', '4'], '--seed and --seeds: give one seed or a list, not both'],
    [['--seeds', '1-3', '--trace', '--out', tmpdir()], '--trace records every request of one run'],
    [
      ['--threads', '2'],
      '--threads spreads the seeds of a --seeds study over threads: give --seeds LIST too',
    ],
    [['--seeds', '1-3', '--threads', '0'], '--threads: expected an integer ≥ 1'],
    [['--seeds', '1-3', '--threads', '1000'], '--threads: at most 64, each holds a simulator of its own'],
    [['--tune', 'fixed:interval=3s'], '--tune: expected one, two or three parameters as key=LOW..HIGH'],
    [['--tune', 'backoff:base=1s..2s,factor=1.5..2,cap=1m..2m,gap=0s..9s'], '(three ranges at most)'],
    [
      ['--tune', 'fixed:interval=1s..9s', '--seed', '4'],
      '--seed and --tune: a setting is tuned over several seeds',
    ],
    [
      ['--tune', 'fixed:interval=1s..9s', '--trace', '--out', tmpdir()],
      '--trace records every request of one run',
    ],
    [
      ['--tune', 'fixed:interval=1s..9s,lang=python', '--transport', 'sdk'],
      '--transport sdk: fixed has lang=python',
    ],
    [
      ['--tune', 'fixed:interval=1s..9s,lang=node', '--lang', 'python'],
      '--lang python: --tune fixed:interval=1s..9s,lang=node names its own lang',
    ],
    // A search runs every value it lists: the Python SDK's among them.
    [
      ['--tune', 'fixed:interval=1s..9s,lang=*', '--transport', 'sdk'],
      '--transport sdk: fixed has lang=python',
    ],
    [
      ['--tune', 'backoff:jitter=full|equal'],
      "--tune: backoff.jitter in 'backoff:jitter=full|equal': named values are searched beside a range",
    ],
    [
      ['--tune', 'backoff:base=1s..9s,jitter=*', '--tune-grid', '9'],
      '--tune-grid: with two parameters it is a side of the grid over the range, at most 8 (32 settings with every named value',
    ],
    [['--tune-grid', '4'], 'sim: --tune-grid says how --tune searches: give --tune NAME:key=LOW..HIGH too'],
    [['--held-out', 'none', '--seeds', '1-2'], 'sim: --held-out says how --tune searches'],
    [['--tune', 'fixed:interval=1s..9s', '--tune-grid', '1'], '--tune-grid: expected an integer ≥ 2'],
    [['--tune', 'fixed:interval=1s..9s', '--tune-grid', '65'], '--tune-grid: at most 64 settings'],
    [
      ['--tune', 'fixed:interval=1s..9s,gap=0s..9s', '--tune-grid', '9'],
      '--tune-grid: with two ranges it is a side of the grid, at most 8 (64 settings',
    ],
    [
      ['--tune', 'fixed:interval=1s..9s,gap=0s..9s,retries=0..2', '--tune-grid', '9'],
      '--tune-grid: with three ranges it is a side of the grid, at most 8 (512 settings',
    ],
    [
      ['--tune', 'fixed:interval=1s..9s', '--seeds', '1-5', '--held-out', '5-9'],
      '--held-out: seed 5 is one the search sees (--seeds 1–5): held-out seeds must be others',
    ],
    [['--tune', 'fixed:interval=1s..9s', '--held-out', '2-1'], "--held-out: the range '2-1' runs backwards"],
    // parseArgs alone would keep the last and search only fixed.gap.
    [
      ['--tune', 'fixed:interval=1s..9s', '--tune', 'fixed:gap=1s..2s'],
      "sim: --tune: given twice ('fixed:interval=1s..9s', then 'fixed:gap=1s..2s'); it takes one value",
    ],
    [['--seeds', '1-2', '--seeds=5'], "--seeds: given twice ('1-2', then '5'); it takes one value"],
    [['--tier', '1', '--tier', '2'], "--tier: given twice ('1', then '2')"],
    // Checked before the run: a directory that cannot be written costs no simulation.
    [['--out', `${PACKAGE_JSON}/report`], `--out ${PACKAGE_JSON}/report: ${PACKAGE_JSON} is not a directory`],
  ])('%j is a usage error: exit code 2, a message, no stack', (args, message) => {
    const { status, stderr, stdout } = sim(...args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  test('--version prints the version in package.json, for sim, serve and report', () => {
    const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string };
    const SERVE = fileURLToPath(new URL('../../src/cli/serve.ts', import.meta.url));
    for (const cli of [CLI, SERVE, REPORT]) {
      const run = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status, cli).toBe(0);
      expect(run.stdout).toBe(`pollbench ${version}\n`);
    }
  });

  test("sim, serve and report load their modules through Node's compile cache, unless it is turned off", () => {
    const SERVE = fileURLToPath(new URL('../../src/cli/serve.ts', import.meta.url));
    for (const cli of [CLI, SERVE, REPORT]) {
      // Node's default folder, <system temp>/node-compile-cache, which NODE_COMPILE_CACHE would replace.
      const temp = tempDir('temp');
      const off = tempDir('temp-off');
      const run = (env: Record<string, string>) => {
        const { NODE_COMPILE_CACHE: _, ...inherited } = process.env;
        return spawnSync(process.execPath, [cli, '--version'], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...inherited, ...env },
        });
      };
      const cached = run({ TMPDIR: temp });
      const disabled = run({ TMPDIR: off, NODE_DISABLE_COMPILE_CACHE: '1' });
      expect(cached.stdout, cli).toBe(disabled.stdout);
      expect(cached.stderr).toBe('');
      // One folder per Node version and build, holding an entry per module the command loaded.
      expect(cacheEntries(join(temp, 'node-compile-cache')), cli).toBeGreaterThan(5);
      expect(readdirSync(off)).toEqual([]);
    }
  });

  test('--help documents --tier and --seed once, with the defaults sim uses', () => {
    const { status, stdout } = sim('--help');
    expect(status).toBe(0);
    expect(stdout.match(/^ {2}--tier /gm)).toHaveLength(1);
    expect(stdout.match(/^ {2}--seed /gm)).toHaveLength(1);
    expect(stdout).toMatch(/^ {2}--seed N .*\(default 1\)/m);
    expect(stdout).not.toContain('--api-key');
    expect(stdout).toContain('--quantize DURATION');
    // Every flow --workload accepts is named, the one added last included.
    expect(stdout).toMatch(/^ {2}--workload FLOW +assistants \| responses \| batch \| vector-store$/m);
  });

  test('--help with --poller explains each parameter of the pollers named', () => {
    const { status, stdout } = sim('--poller', 'fixed:interval=3s', '--poller', 'adaptv', '--help');
    expect(status).toBe(0);
    expect(stdout).toContain('Parameters of fixed (--poller fixed:key=value,…):');
    expect(stdout).toMatch(/^ {2}interval=10s +sleep before each poll \(a duration\)$/m);
    expect(stdout).toMatch(/^ {2}retries=2 +the SDK's own retries \(SDK default: 2\) \(≥ 0\)$/m);
    expect(stdout).toContain("No poller named 'adaptv' (did you mean 'adaptive'?).");
    expect(sim('--help').stdout).not.toContain('Parameters of');
  });

  // Node's own mkdirSync(…, { recursive: true }) never returns for a path under /proc.
  test.runIf(existsSync('/proc/self'))('--out under /proc is refused at once, not a hang', () => {
    const { status, stderr, stdout } = sim('--out', '/proc/pollbench/report', '--jobs', '1');
    expect(status).toBe(2);
    expect(stderr).toContain('--out /proc/pollbench/report: cannot create /proc/pollbench');
    expect(stdout).toBe('');
  });

  test('--seeds runs the study once per seed; each seed matches its own --seed run', () => {
    const study = ['--tier', '1', '--jobs', '6', '--workers', '3', '--poller', 'adaptive'];
    const { status, stdout, stderr } = sim(...study, '--seeds', '2-3,7', '--json');
    expect(status, stderr).toBe(0);
    // On worker threads: the same document, byte for byte.
    expect(sim(...study, '--seeds', '2-3,7', '--json', '--threads', '2').stdout).toBe(stdout);
    const across = JSON.parse(stdout);
    expect(across).toMatchObject({ schema: 'pollbench/seeds@1', tier: '1', seeds: [2, 3, 7] });
    expect(across.pollers.map((p: { name: string }) => p.name)).toEqual(['adaptive', 'oracle']);
    for (const [i, seed] of [2, 3, 7].entries()) {
      const one = JSON.parse(sim(...study, '--seed', String(seed), '--json').stdout);
      for (const [k, poller] of across.pollers.entries()) {
        const own = one.pollers[k];
        expect(poller.perSeed[i]).toMatchObject({
          seed,
          requests: own.requests,
          rateLimited: own.rateLimited,
          makespanMs: own.makespanMs,
          efficiency: own.efficiency,
          firstRateLimitAtJob: own.firstRateLimitAtJob,
        });
      }
    }
  });

  test('--seeds prints a table across the seeds, and --out writes seeds.json, seeds.md, seeds.html and its chart', () => {
    const dir = tempDir('seeds');
    const { status, stdout, stderr } = sim('--tier', 'free', '--seeds', '1-3', '--out', dir);
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('seeds 1–3');
    expect(stdout).toMatch(/^fixed:interval=10s,gap=20s\s+3\/3\s/m);
    expect(stdout).toMatch(/^oracle\s+0\/3\s/m);
    const written = JSON.parse(readFileSync(join(dir, 'seeds.json'), 'utf8'));
    expect(written.seeds).toEqual([1, 2, 3]);
    const markdown = readFileSync(join(dir, 'seeds.md'), 'utf8');
    expect(markdown).toContain('| oracle | 0/3 |');
    expect(markdown).toContain('](seeds-efficiency.png)');
    const chart = readFileSync(join(dir, 'seeds-efficiency.png'));
    expect(chart.subarray(1, 4).toString()).toBe('PNG');
    // seeds.html: the same table and words, the chart drawn in the browser, nothing fetched.
    const html = readFileSync(join(dir, 'seeds.html'), 'utf8');
    expect(html).toContain('<td>fixed:interval=10s,gap=20s</td><td class="n">3/3</td>');
    expect(html).toContain('<p>Over 3 runs, one per seed.');
    expect(html).toMatch(
      /<p>Every seed's own figures are in <code>seeds\.json<\/code> .*<code>npm run sim -- --tier free --seed N --out DIR<\/code> gives/,
    );
    expect(html).toContain('new Chart(');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/);
    // `npm run report` re-renders seeds.md, seeds.html and the chart from seeds.json alone, to the same bytes.
    for (const file of ['seeds.md', 'seeds.html', 'seeds-efficiency.png']) rmSync(join(dir, file));
    const report = spawnSync(process.execPath, [REPORT, join(dir, 'seeds.json')], { encoding: 'utf8' });
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'seeds.md'), 'utf8')).toBe(markdown);
    expect(readFileSync(join(dir, 'seeds.html'), 'utf8')).toBe(html);
    expect(readFileSync(join(dir, 'seeds-efficiency.png')).equals(chart)).toBe(true);
  });

  test("report.md's re-run command runs the same study again, whatever flags it had", () => {
    const dir = tempDir('rerun');
    const study = [
      '--tier',
      '1',
      '--jobs=6',
      '--workers',
      '3',
      '--quantize',
      '1s',
      '--poller',
      'fixed:interval=2s',
    ];
    const first = sim(...study, '--poller', 'adaptive', '--seed', '4', '--json', '--out', dir);
    expect(first.status, first.stderr).toBe(0);
    const rerun = /re-run: `([^`]+)`/.exec(readFileSync(join(dir, 'report.md'), 'utf8'))?.[1] ?? '';
    expect(rerun).toBe(
      'npm run sim -- --tier 1 --jobs 6 --workers 3 --quantize 1s --poller fixed:interval=2s --poller adaptive --seed 4',
    );
    const again = sim(...wordsAfterDashes(rerun), '--json');
    expect(again.stdout).toBe(first.stdout);
    expect(JSON.parse(first.stdout).studyArgs).toEqual(wordsAfterDashes(rerun).slice(0, -2));
  });

  test("seeds.md's command gives any one seed of the study", () => {
    const dir = tempDir('seeds-rerun');
    const study = ['--tier', '2', '--jobs', '8', '--poller', 'fixed:interval=3s'];
    const seeds = sim(...study, '--seeds', '2-3', '--threads', '1', '--json', '--out', dir);
    expect(seeds.status, seeds.stderr).toBe(0);
    const line = /`(npm run sim -- [^`]+) --out DIR` gives one seed's/.exec(
      readFileSync(join(dir, 'seeds.md'), 'utf8'),
    );
    expect(line?.[1]).toBe('npm run sim -- --tier 2 --jobs 8 --poller fixed:interval=3s --seed N');
    const words = wordsAfterDashes(line?.[1] ?? '').map((w) => (w === 'N' ? '3' : w));
    const one = JSON.parse(sim(...words, '--json').stdout);
    const across = JSON.parse(seeds.stdout);
    expect(across.pollers[0].perSeed[1]).toMatchObject({ seed: 3, makespanMs: one.pollers[0].makespanMs });
  });
});

describe('npm run sim --tune', () => {
  test('--tune-grid sets the first grid, and --held-out the seeds the best is checked on, or none', () => {
    const study = [...SMALL_TIER_1_FLAGS, '--seeds', '1-2'];
    const tune = ['--tune', 'fixed:interval=250ms..20s', '--tune-grid', '3'];
    const none = JSON.parse(sim(...study, ...tune, '--held-out', 'none', '--json').stdout) as SeedsSummary;
    expect(none.tuning?.tried.filter((t) => t.round === 0).map((t) => t.value)).toEqual([250, 2200, 20_000]);
    expect(none.tuning?.heldOut).toBeNull();
    // Neither flag is part of what re-runs one seed of the table.
    expect(none.studyArgs?.some((word) => ['--tune-grid', '--held-out'].includes(word))).toBe(false);
    const printed = sim(...study, ...tune, '--held-out', '7,9');
    expect(printed.stdout).toMatch(/^tuning fixed:interval=250ms\.\.20s: \d+ settings tried, 3 spread over/m);
    expect(printed.stdout).toMatch(/^On seeds 7, 9, which the search did not see: /m);
  });

  test('--tune with two ranges searches their pairs and draws the map of what it tried', () => {
    const dir = tempDir('tune-2d');
    const tune = ['--tune', 'fixed:interval=250ms..20s,gap=0s..10s', '--tune-grid', '3', '--seeds', '1-2'];
    const tuned = sim(...SMALL_TIER_1_FLAGS, ...tune, '--out', dir);
    expect(tuned.status, tuned.stderr).toBe(0);
    expect(tuned.stdout).toMatch(
      /^tuning fixed:interval=250ms\.\.20s,gap=0s\.\.10s: \d+ settings tried, 9 on a 3 × 3 grid over the two ranges/m,
    );
    expect(tuned.stdout).toMatch(
      /^Best interval and gap: fixed:interval=\S+,gap=\S+ \(no 429 on both seeds/m,
    );
    const document = JSON.parse(readFileSync(join(dir, 'seeds.json'), 'utf8')) as SeedsSummary;
    // Every row names both values, each pair once.
    const specs = document.tuning?.tried.map((t) => t.spec) ?? [];
    expect(specs.every((spec) => /^fixed:interval=[^,]+,gap=[^,]+$/.test(spec))).toBe(true);
    expect(new Set(specs).size).toBe(specs.length);
    const markdown = readFileSync(join(dir, 'seeds.md'), 'utf8');
    expect(markdown.indexOf('](tuning-map.png)')).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'tuning-map.png')).subarray(1, 4).toString()).toBe('PNG');
    // `npm run report` re-renders them from seeds.json alone, to the same bytes.
    const map = readFileSync(join(dir, 'tuning-map.png'));
    for (const file of ['seeds.md', 'tuning-map.png']) rmSync(join(dir, file));
    const report = spawnSync(process.execPath, [REPORT, join(dir, 'seeds.json')], { encoding: 'utf8' });
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'seeds.md'), 'utf8')).toBe(markdown);
    expect(readFileSync(join(dir, 'tuning-map.png')).equals(map)).toBe(true);
  });

  test('prints a row per setting tried and the best; its re-run command gives any one seed of it', () => {
    const dir = tempDir('tune');
    const study = [...SMALL_TIER_1_FLAGS, '--poller', 'adaptive', '--lang', 'python'];
    const tuned = sim(...study, '--tune', 'fixed:interval=250ms..20s', '--seeds', '1-3', '--out', dir);
    expect(tuned.status, tuned.stderr).toBe(0);
    expect(tuned.stdout).toMatch(
      /^tuning fixed:interval=250ms\.\.20s: \d+ settings tried, 8 spread over the range/m,
    );
    expect(tuned.stdout).toMatch(/^Best interval: fixed:interval=\S+,lang=python \(no 429 on all 3 seeds/m);
    expect(tuned.stdout).toMatch(/^On seeds 4–6, which the search did not see: /m);
    const document = readReportDocument(
      'seeds.json',
      JSON.parse(readFileSync(join(dir, 'seeds.json'), 'utf8')),
    ) as SeedsSummary;
    expect(document.tuning?.best).toBe(document.recommended);
    // The tuning curve, first among the charts, is written and shown in seeds.md.
    const markdown = readFileSync(join(dir, 'seeds.md'), 'utf8');
    expect(markdown.indexOf('](tuning-curve.png)')).toBeGreaterThan(0);
    expect(markdown.indexOf('](tuning-curve.png)')).toBeLessThan(markdown.indexOf('](seeds-efficiency.png)'));
    expect(readFileSync(join(dir, 'tuning-curve.png')).subarray(1, 4).toString()).toBe('PNG');
    const html = readFileSync(join(dir, 'seeds.html'), 'utf8');
    expect(html).toMatch(/<p>Best interval: fixed:interval=\S+ \(no 429 on all 3 seeds[^<]*<br>\n/);
    // Both charts' configs go into the page, the tuning curve first.
    expect(html).toMatch(/const configs = \[\{"type":"line".*"logarithmic".*\},\{"type":"bar"/);
    // Every row by its spec, each with its own lang, in place of --tune, --poller and --lang.
    const rows = document.pollers.filter((p) => p.name !== 'oracle').map((p) => p.spec);
    expect(document.studyArgs).toEqual([
      ...['--tier', '1', '--jobs', '24', '--workers', '12'],
      ...rows.flatMap((spec) => ['--poller', spec]),
    ]);
    const line = /`(npm run sim -- [^`]+) --out DIR` gives one seed's/.exec(
      readFileSync(join(dir, 'seeds.md'), 'utf8'),
    );
    const words = wordsAfterDashes(line?.[1] ?? '').map((w) => (w === 'N' ? '2' : w));
    const one = JSON.parse(sim(...words, '--json').stdout);
    expect(one.pollers.map((p: { spec: string }) => p.spec)).toEqual([...rows, 'oracle']);
    document.pollers.forEach((row, i) => {
      expect(row.perSeed[1]).toMatchObject({
        seed: 2,
        requests: one.pollers[i].requests,
        makespanMs: one.pollers[i].makespanMs,
      });
    });
    // And the best setting's alone, the same figures on that seed.
    const bestLine = /`(npm run sim -- [^`]+) --out DIR` gives the best setting's alone\./.exec(
      readFileSync(join(dir, 'seeds.md'), 'utf8'),
    );
    const bestWords = wordsAfterDashes(bestLine?.[1] ?? '').map((w) => (w === 'N' ? '2' : w));
    expect(bestWords.filter((w) => w === '--poller')).toHaveLength(1);
    const alone = JSON.parse(sim(...bestWords, '--json').stdout);
    const best = document.pollers.find((p) => p.spec === document.tuning?.best);
    expect(alone.pollers.map((p: { spec: string }) => p.spec)).toEqual([best?.spec, 'oracle']);
    expect(best?.perSeed[1]).toMatchObject({
      seed: 2,
      requests: alone.pollers[0].requests,
      makespanMs: alone.pollers[0].makespanMs,
    });
  });
});

describe('npm run sim --import', () => {
  const EVERY_3S = fileURLToPath(new URL('../docs/examples/every-3s.ts', import.meta.url));
  const dir = blockTempDir('import');
  const module = (name: string, text: string) => {
    const file = join(dir(), name);
    writeFileSync(file, text);
    return file;
  };
  const small = ['--tier', '1', '--jobs', '6', '--workers', '3'];

  test("runs a poller of the user's own next to the built-in ones, and --help lists it", () => {
    const run = sim(
      '--import',
      EVERY_3S,
      ...small,
      '--poller',
      'every-3s:interval=5s',
      '--poller',
      'adaptive',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^every-3s:interval=5s\s/m);
    expect(run.stdout).toMatch(/^oracle\s/m);
    const help = sim('--import', EVERY_3S, '--help');
    expect(help.stdout).toMatch(/^ {2}every-3s +poll every 3 s.*\n +params: interval=3s$/m);
  });

  test('across seeds, on worker threads, with the same figures as on one thread', () => {
    const study = [...small, '--poller', 'every-3s', '--seeds', '1-3', '--json'];
    const one = sim('--import', EVERY_3S, ...study, '--threads', '1');
    const three = sim('--import', EVERY_3S, ...study, '--threads', '3');
    expect(three.status, three.stderr).toBe(0);
    expect(three.stdout).toBe(one.stdout);
  });

  test.each([
    ['a missing file', () => join(dir(), 'missing.ts'), /--import .*missing\.ts: no such file/],
    [
      'a module that registers no poller',
      () => module('none.mjs', 'export const nothing = 1;\n'),
      /--import .*none\.mjs: it registered no poller\. It must call registerPoller from the pollbench running/,
    ],
    [
      'a module that throws',
      () => module('throws.mjs', "throw new RangeError('interval out of range');\n"),
      /--import .*throws\.mjs: it failed to load \(RangeError: interval out of range\); run `node .*throws\.mjs` to see where/,
    ],
  ])('refuses %s with a message naming it (exit 2, no stack)', (_, file, message) => {
    const run = sim('--import', file(), ...small);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('stops a poller that holds the simulation still, and names it (exit 1, no stack)', () => {
    const spin = fileURLToPath(new URL('../helpers/spin-poller.ts', import.meta.url));
    for (const seeds of [[], ['--seeds', '1-2']]) {
      const run = sim('--import', spin, ...small, '--poller', 'test-spin', '--stall-timeout', '1s', ...seeds);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        /^sim: poller 'test-spin' failed: it held the simulation still for 1 s of real time \(no timer, no request\); a poller must await ctx\.clock\.sleep/,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test.each([
    [
      [],
      ['--stall-timeout', '5s'],
      /--stall-timeout watches the pollers of --import modules .*: give --import FILE too/,
    ],
    [
      ['--import'],
      ['--stall-timeout', '500ms'],
      /--stall-timeout: expected a duration from 1s to 24h; got '500ms'/,
    ],
    [['--import'], ['--stall-timeout', 'soon'], /--stall-timeout: expected a duration such as/],
  ])('refuses a bad --stall-timeout (exit 2): %j %j', (importing, args, message) => {
    const run = sim(...importing.flatMap((flag) => [flag, EVERY_3S]), ...small, ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test('refuses a module given twice, and checks the flags before running any module', () => {
    const twice = sim('--import', EVERY_3S, '--import', EVERY_3S, ...small);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/--import .*every-3s\.ts: given twice/);
    const marker = join(dir(), 'ran');
    const sideEffect = module(
      'side-effect.mjs',
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, '');\n`,
    );
    const bad = sim('--import', sideEffect, '--jobs');
    expect(bad.status).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a scenario file that holds a study (seeds, tune, tuneGrid, heldOut)', () => {
  const dir = blockTempDir('study-file');
  const studyFile = () => {
    const file = join(dir(), 'small-study.yaml');
    writeFileSync(
      file,
      [
        '# A small search at tier 1, for the tests.',
        'name: small-study',
        'description: "Tier 1, 24 background responses on 12 workers, the fixed interval tuned."',
        'tier: "1"',
        'model: gpt-4.1',
        'workload: { flow: responses, jobs: 24, workers: 12 }',
        'pollers: [adaptive]',
        'seeds: 1-2',
        'tune: fixed:interval=250ms..20s',
        'tuneGrid: 3',
        'heldOut: 7,9',
        '',
      ].join('\n'),
    );
    return file;
  };
  const doc = (run: ReturnType<typeof sim>) => {
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as SeedsSummary;
  };

  test('runs its search as the flags of the same names would, with its pollers beside it', () => {
    const file = studyFile();
    const fromFile = doc(sim('--scenario', file, '--json'));
    const flags = ['--seeds', '1-2', '--tune', 'fixed:interval=250ms..20s', '--tune-grid', '3'];
    const fromFlags = doc(
      sim('--scenario', file, ...flags, '--held-out', '7,9', '--poller', 'adaptive', '--json'),
    );
    expect({ ...fromFile, studyArgs: [] }).toEqual({ ...fromFlags, studyArgs: [] });
    expect(fromFile.tuning?.tried.filter((t) => t.round === 0).map((t) => t.value)).toEqual([
      250, 2200, 20_000,
    ]);
    expect(fromFile.tuning?.heldOut?.seeds).toEqual([7, 9]);
    // One seed of it again, as a report's command gives it: the table's rows, the file's search off.
    const rows = fromFile.pollers.filter((p) => p.name !== 'oracle').map((p) => p.spec);
    expect(fromFile.studyArgs).toEqual(['--scenario', file, ...rows.flatMap((spec) => ['--poller', spec])]);
    const again = sim(...(fromFile.studyArgs ?? []), '--seed', '2', '--json');
    expect(again.status, again.stderr).toBe(0);
    const run = JSON.parse(again.stdout) as { seed: number; pollers: { spec: string; makespanMs: number }[] };
    expect(run.seed).toBe(2);
    expect(run.pollers.map((p) => p.spec)).toEqual([...rows, 'oracle']);
    const seed2 = (spec: string) => fromFile.pollers.find((p) => p.spec === spec)?.perSeed[1]?.makespanMs;
    for (const p of run.pollers) expect(p.makespanMs, p.spec).toBe(seed2(p.spec));
  });

  test('--seed N runs one seed of it, --seeds replaces its seeds, and --tune its whole search', () => {
    const file = studyFile();
    const one = sim('--scenario', file, '--seed', '3');
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/· seed 3 · fast transport$/m);
    expect(one.stdout).toMatch(/^adaptive\s/m);
    expect(one.stdout).not.toContain('tuning');
    const seeds = doc(sim('--scenario', file, '--seeds', '3-4', '--json'));
    expect(seeds.seeds).toEqual([3, 4]);
    expect(seeds.tuning?.heldOut?.seeds).toEqual([7, 9]);
    // The file's grid and held-out seeds were its own search's, and its pollers give way, as with --tune.
    const other = doc(sim('--scenario', file, '--tune', 'fixed:gap=0s..4s', '--json'));
    expect(other.tuning).toMatchObject({ spec: 'fixed:gap=0s..4s', heldOut: { seeds: [3, 4] } });
    expect(other.tuning?.tried.filter((t) => t.round === 0)).toHaveLength(8);
    expect(other.pollers.map((p) => p.name)).not.toContain('adaptive');
  });

  test('--tier LIST runs its search at each tier, each re-run by the file and that tier', () => {
    const file = studyFile();
    const run = sim('--scenario', file, '--tier', '1,2', '--json');
    expect(run.status, run.stderr).toBe(0);
    const tiers = JSON.parse(run.stdout) as { tiers: string[]; studies: SeedsSummary[] };
    expect(tiers.tiers).toEqual(['1', '2']);
    for (const [i, study] of tiers.studies.entries()) {
      expect(study.tuning).toMatchObject({ spec: 'fixed:interval=250ms..20s', heldOut: { seeds: [7, 9] } });
      expect(study.seeds).toEqual([1, 2]);
      expect(study.studyArgs?.slice(0, 4)).toEqual(['--scenario', file, '--tier', tiers.tiers[i]]);
    }
  });

  test.each([
    [
      ['--trace', '--out', tmpdir()],
      "--trace records every request of one run, and the scenario's tune (FILE) makes a study of several: add --seed N to trace one seed of it",
    ],
    [
      ['--seeds', '1-8'],
      "the scenario's heldOut (FILE): seed 7 is one the search sees (--seeds 1–8): held-out seeds must be others",
    ],
    [['--tune-grid', '65'], '--tune-grid: at most 64 settings, each run on every seed; got 65'],
  ])('with %j it is refused, saying which field of the file is in the way', (flags, message) => {
    const file = studyFile();
    const run = sim('--scenario', file, ...flags);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`sim: ${message.replace('FILE', file)}`);
  });
});

describe('a scenario file whose tier names several', () => {
  interface TiersDocument {
    tiers: string[];
    description: string | null;
    studyArgs: string[];
    studies: SeedsSummary[];
  }
  const tiersOf = (run: ReturnType<typeof sim>) => {
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as TiersDocument;
  };

  test('runs its study at each, as --tier would: the bundled seed program at every tier', () => {
    const fromFile = tiersOf(sim('--scenario', 'studies/seed-program-tiers', '--json'));
    const flags = ['--tier', 'all', '--seeds', '1-10', '--json'];
    const pollers = ['fixed:interval=10s,gap=20s', 'sdk', 'adaptive', 'oracle'].flatMap((p) => [
      '--poller',
      p,
    ]);
    const fromFlags = tiersOf(sim('--scenario', 'seed-article', ...flags, ...pollers));
    expect(fromFile.tiers).toEqual(['free', '1', '2', '3', '4', '5']);
    expect(fromFile.studyArgs).toEqual(['--scenario', 'studies/seed-program-tiers']);
    // The same workload at each tier: the same runs, under another name.
    const runs = (doc: TiersDocument) => doc.studies.map((study) => study.pollers);
    expect(runs(fromFile)).toEqual(runs(fromFlags));
    for (const [i, study] of fromFile.studies.entries())
      expect(study.studyArgs).toEqual([
        '--scenario',
        'studies/seed-program-tiers',
        '--tier',
        fromFile.tiers[i],
      ]);
  });

  test('--tier, --limits and --seed each override it; one simulation is at the first tier', () => {
    const file = join(tempDir('tiers-file'), 'tiers.yaml');
    writeFileSync(
      file,
      [
        'name: small-tiers',
        'description: "Four responses at tiers 2 and 1."',
        'tier: [2, 1]',
        'model: gpt-4.1',
        'workload: { flow: responses, jobs: 4, workers: 2 }',
        'pollers: [adaptive]',
        'seeds: 1-2',
        '',
      ].join('\n'),
    );
    const both = tiersOf(sim('--scenario', file, '--json'));
    expect(both.tiers).toEqual(['2', '1']);
    expect(both.studies.map((study) => study.seeds)).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const one = sim('--scenario', file, '--tier', '1', '--json');
    expect(one.status, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ tier: '1', seeds: [1, 2] });
    const limitsFile = join(dirname(file), 'limits.yaml');
    writeFileSync(limitsFile, 'name: mine\nmodels:\n  gpt-4.1: { rpm: 600, tpm: 90000 }\n');
    const limits = sim('--scenario', file, '--limits', limitsFile, '--json');
    expect(limits.status, limits.stderr).toBe(0);
    expect(JSON.parse(limits.stdout)).not.toHaveProperty('tiers');
    const seed3 = tiersOf(sim('--scenario', file, '--seed', '3', '--json'));
    expect(seed3.studies.map((run) => (run as unknown as { seed: number }).seed)).toEqual([3, 3]);
    expect(configFromArgs(['--scenario', file]).mock.tier).toBe('2');
  });
});

describe('a reader that stops early', () => {
  test('closes the pipe: the command stops quietly, exit code 0, no stack trace', () => {
    // As a user pipes it. More JSON than a pipe holds (64 KiB; about 100 KiB here), so that the write
    // is still going when head has read its byte and closed the pipe.
    const command = [process.execPath, '--conditions=pollbench-source', CLI, '--seeds', '1-40', '--json']
      .map((word) => `'${word}'`)
      .join(' ');
    const run = spawnSync('bash', ['-c', `${command} | head -c 1 > /dev/null; exit \${PIPESTATUS[0]}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);
});
