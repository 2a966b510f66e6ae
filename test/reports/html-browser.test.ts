import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
  existsSync(p),
);
if (CHROMIUM === undefined) {
  console.warn(
    '[pollbench] SKIPPED the report.html browser test: no headless Chromium here (apt-get install chromium to run it).',
  );
}

test.skipIf(CHROMIUM === undefined)(
  'report.html opens from disk in headless Chromium and draws its four charts',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'pollbench-html-'));
    try {
      const sim = fileURLToPath(new URL('../../sim/cli.ts', import.meta.url));
      expect(
        spawnSync(process.execPath, [sim, '--scenario', 'seed-article', '--out', dir], { encoding: 'utf8' })
          .status,
      ).toBe(0);
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
        [
          ...flags,
          `--user-data-dir=${join(dir, 'profile')}`,
          '--virtual-time-budget=5000',
          '--dump-dom',
          `file://${join(dir, 'report.html')}`,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(browser.stdout).toContain('data-charts-rendered="4"');
      expect(browser.stdout).toContain('pollbench report: seed-article');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
