import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { summarize } from '../../reports/summary.ts';
import { summaryJson } from '../../reports/write-report.ts';
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

test("the README's example report (docs/seed-article) is the current output, not a stale one", () => {
  const docs = fileURLToPath(new URL('../../docs/seed-article/summary.json', import.meta.url));
  // Regenerate with: npm run sim -- --scenario seed-article --out docs/seed-article
  expect(readFileSync(docs, 'utf8')).toBe(readFileSync(GOLDEN, 'utf8'));
});

test("the README's tuning example (docs/tune-tier-1) is the current output, not a stale one", async () => {
  // Regenerate with: npm run sim -- --tier 1 --tune fixed:interval=1s..30s --poller adaptive --out docs/tune-tier-1
  const args = ['--tier', '1', '--tune', 'fixed:interval=1s..30s', '--poller', 'adaptive'];
  const parsed = configFromFlags(parseSimFlags(args));
  if (typeof parsed === 'string' || parsed.tune === undefined || parsed.seeds === undefined)
    throw new Error('not a --tune study');
  // As sim-command.ts writes it: every row named as a --poller for the re-run command.
  const tuned = await tunePoller(parsed.config, parsed.tune, parsed.seeds);
  const rows = tuned.pollers.filter((p) => p.name !== 'oracle').map((p) => p.spec);
  const json = summaryJson({ ...tuned, studyArgs: rowsStudyArgs(studyArgs(args), rows) });
  const docs = fileURLToPath(new URL('../../docs/tune-tier-1/seeds.json', import.meta.url));
  expect(json).toBe(readFileSync(docs, 'utf8'));
});
