import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runSimulation } from '../../sim/engine.ts';
import { bundledScenarioNames, loadScenario } from '../../sim/scenario-file.ts';
import { formatPollerChoice } from '../../src/pollers/registry.ts';

const GOLDEN = fileURLToPath(new URL('../golden/scenario-results.json', import.meta.url));

/**
 * The headline figures of every bundled scenario at full size, per poller. Results hang on the order in
 * which same-instant work runs, so a change that only looks like a refactor (a wrapper with one more
 * `await`) can move them, and with them the README's real-output tables: here that shows as a diff to
 * review, after which the README's tables are re-run.
 * Regenerate deliberately with: UPDATE_GOLDEN=1 npx vitest run test/reports/scenario-results.test.ts
 */
test('every bundled scenario gives the figures it gave before', { timeout: 60_000 }, async () => {
  const results: Record<string, string[]> = {};
  for (const name of bundledScenarioNames()) {
    const { pollers } = await runSimulation(loadScenario(name));
    results[name] = pollers.map(({ name: poller, params, metrics: m }) =>
      [
        `${formatPollerChoice({ name: poller, params }, { showMain: true })}:`,
        `${m.requests} requests, ${m.rateLimited} 429s, ${m.errors} errors,`,
        `${m.jobs.completed}/${m.jobs.failed}/${m.jobs.abandoned} done/failed/abandoned,`,
        `makespan ${m.makespanMs} ms, efficiency ${m.efficiency}`,
      ].join(' '),
    );
  }
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, json);
  expect(json).toBe(readFileSync(GOLDEN, 'utf8'));
});
