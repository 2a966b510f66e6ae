import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { SMALL_TIER_1_FLAGS } from '../helpers/sim-configs.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
  existsSync(p),
);
if (CHROMIUM === undefined) {
  console.warn(
    '[pollbench] SKIPPED the report.html and seeds.html browser tests: no headless Chromium here (apt-get install chromium to run them).',
  );
}

/** The page's DOM after its scripts ran, as headless Chromium dumps it. */
function renderedDom(page: string, profile: string): string {
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  const browser = spawnSync(
    CHROMIUM as string,
    [...flags, `--user-data-dir=${profile}`, '--virtual-time-budget=5000', '--dump-dom', `file://${page}`],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return browser.stdout;
}

const SIM = fileURLToPath(new URL('../../sim/cli.ts', import.meta.url));

/** `npm run sim -- ARGS --out DIR` into a temporary folder, then `check` of that folder; removed after. */
function withReport(args: readonly string[], check: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'pollbench-html-'));
  try {
    const run = spawnSync(process.execPath, [SIM, ...args, '--out', dir], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test.skipIf(CHROMIUM === undefined)(
  'report.html opens from disk in headless Chromium and draws its four charts',
  () =>
    withReport(['--scenario', 'seed-article'], (dir) => {
      const dom = renderedDom(join(dir, 'report.html'), join(dir, 'profile'));
      expect(dom).toContain('data-charts-rendered="4"');
      expect(dom).toContain('pollbench report: seed-article');
    }),
);

test.skipIf(CHROMIUM === undefined).each([
  ['its tuning curve (a logarithmic axis)', 'fixed:interval=250ms..20s', /<p>Best interval: fixed:interval=/],
  [
    'the map of two parameters (a scatter)',
    'fixed:interval=250ms..20s,gap=0s..10s',
    /<p>Best interval and gap: fixed:interval=[^,]+,gap=/,
  ],
])("a --tune study's seeds.html draws %s and its seeds chart", (_, tune, best) => {
  const study = [...SMALL_TIER_1_FLAGS, '--seeds', '1-2', '--held-out', 'none', '--tune-grid', '3'];
  withReport([...study, '--tune', tune], (dir) => {
    const dom = renderedDom(join(dir, 'seeds.html'), join(dir, 'profile'));
    expect(dom).toContain('data-charts-rendered="2"');
    expect(dom).toContain('pollbench across seeds: tier-1');
    expect(dom).toMatch(best);
  });
});

test.skipIf(CHROMIUM === undefined)(
  "tiers.html draws its two charts (one on a logarithmic axis) and links to each tier's own page",
  () =>
    withReport(['--tier', 'free,1', '--jobs', '4', '--workers', '2'], (dir) => {
      const dom = renderedDom(join(dir, 'tiers.html'), join(dir, 'profile'));
      expect(dom).toContain('data-charts-rendered="2"');
      expect(dom).toContain('pollbench by tier: tiers free, 1');
      expect(dom).toContain('<a href="tier-1/report.html">');
      expect(renderedDom(join(dir, 'tier-1', 'report.html'), join(dir, 'profile'))).toContain(
        'data-charts-rendered="4"',
      );
    }),
);

test.skipIf(CHROMIUM === undefined)(
  "a --tune at several tiers: tiers.html draws its efficiency chart and each tuned parameter's, and links each tier's search",
  () => {
    const tune = ['--tune', 'fixed:interval=1s..60s,gap=0s..30s', '--tune-grid', '3', '--seeds', '1-2'];
    withReport(['--tier', 'free,1', '--jobs', '4', '--workers', '2', ...tune], (dir) => {
      const dom = renderedDom(join(dir, 'tiers.html'), join(dir, 'profile'));
      expect(dom).toContain('data-charts-rendered="3"');
      expect(dom).toContain('<th>best interval, gap</th>');
      expect(dom).toContain('<a href="tier-1/seeds.html">');
    });
  },
);
