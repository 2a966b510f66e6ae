import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { summarize } from '../../reports/summary.ts';
import { summaryJson, writeReport, writeSeedsReport } from '../../reports/write-report.ts';
import { runSimulation } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { configFromFlags, parseSimFlags, rowsStudyArgs, studyArgs } from '../../sim/sim-flags.ts';
import { tunePoller } from '../../sim/tune.ts';

const GOLDEN = fileURLToPath(new URL('../golden/seed-article.summary.json', import.meta.url));

// Any change to the simulated numbers shows up here as a reviewed diff.
// Regenerate deliberately with: UPDATE_GOLDEN=1 npx vitest run test/reports/golden.test.ts
test('the seed-article scenario with seed 1 gives a byte-identical summary.json', async () => {
  // As `npm run sim -- --scenario seed-article` writes it (docs/seed-article below is that command's).
  const result = await runSimulation(loadScenario('seed-article'));
  const json = summaryJson(summarize(result, ['--scenario', 'seed-article']));
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, json);
  expect(json).toBe(readFileSync(GOLDEN, 'utf8'));
});

test("the README's example report (docs/seed-article) is the current output, not a stale one", async () => {
  const docs = fileURLToPath(new URL('../../docs/seed-article/summary.json', import.meta.url));
  // Regenerate with: npm run sim -- --scenario seed-article --out docs/seed-article
  expect(readFileSync(docs, 'utf8')).toBe(readFileSync(GOLDEN, 'utf8'));
  await expectRenderedFrom('seed-article', 'summary.json');
});

/** The seeds.json of `npm run sim -- ARGS` for a --tune study, as sim-command.ts writes it. */
async function tunedJson(args: string[]): Promise<string> {
  const parsed = configFromFlags(parseSimFlags(args));
  if (typeof parsed === 'string' || parsed.tune === undefined || parsed.seeds === undefined)
    throw new Error('not a --tune study');
  // Every row named as a --poller for the re-run command.
  const tuned = await tunePoller(parsed.config, parsed.tune, parsed.seeds);
  const rows = tuned.pollers.filter((p) => p.name !== 'oracle').map((p) => p.spec);
  return summaryJson({ ...tuned, studyArgs: rowsStudyArgs(studyArgs(args), rows) });
}

test.each([
  // Regenerate with: npm run sim -- --tier 1 --tune fixed:interval=1s..30s --poller adaptive --out docs/tune-tier-1
  ['tune-tier-1', ['--tier', '1', '--tune', 'fixed:interval=1s..30s', '--poller', 'adaptive']],
  // Regenerate with: npm run sim -- --tune fixed:interval=1s..60s,gap=0s..60s --poller adaptive --out docs/tune-seed-2d
  ['tune-seed-2d', ['--tune', 'fixed:interval=1s..60s,gap=0s..60s', '--poller', 'adaptive']],
  // Regenerate with: npm run sim -- --tune fixed:interval=1s..60s,gap=0s..60s,retries=0..2 --poller adaptive --out docs/tune-seed-3d
  ['tune-seed-3d', ['--tune', 'fixed:interval=1s..60s,gap=0s..60s,retries=0..2', '--poller', 'adaptive']],
  // Regenerate with: npm run sim -- --tune 'backoff:base=1s..60s,jitter=*,gap=20s' --poller adaptive --out docs/tune-seed-jitter
  ['tune-seed-jitter', ['--tune', 'backoff:base=1s..60s,jitter=*,gap=20s', '--poller', 'adaptive']],
])("the README's tuning example (docs/%s) is the current output, not a stale one", async (dir, args) => {
  const docs = (file: string) => fileURLToPath(new URL(`../../docs/${dir}/${file}`, import.meta.url));
  const json = readFileSync(docs('seeds.json'), 'utf8');
  expect(await tunedJson(args)).toBe(json);
  await expectRenderedFrom(dir, 'seeds.json');
});

/**
 * Every file of `docs/DIR` but its JSON is what `npm run report` renders from that JSON, byte for byte
 * (the charts too: the same bytes on any machine), so that no page or chart the README shows is stale.
 */
async function expectRenderedFrom(dir: string, json: 'summary.json' | 'seeds.json') {
  const docs = fileURLToPath(new URL(`../../docs/${dir}/`, import.meta.url));
  const document = JSON.parse(readFileSync(join(docs, json), 'utf8'));
  const out = mkdtempSync(join(tmpdir(), 'pollbench-docs-'));
  try {
    const written =
      json === 'seeds.json'
        ? await writeSeedsReport(out, document, { writeSummary: false })
        : await writeReport(out, document, undefined, { writeSummary: false });
    const names = written.map((path) => basename(path)).sort();
    expect(names).toEqual(
      readdirSync(docs)
        .filter((name) => name !== json)
        .sort(),
    );
    for (const name of names)
      expect(
        readFileSync(join(out, name)).equals(readFileSync(join(docs, name))),
        `docs/${dir}/${name}`,
      ).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
