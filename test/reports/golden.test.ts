import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { summarize } from '../../reports/summary.ts';
import { summaryJson } from '../../reports/write-report.ts';
import { runSimulation } from '../../sim/engine.ts';
import { loadScenario } from '../../sim/scenario-file.ts';

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
