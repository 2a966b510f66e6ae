import { readFileSync } from 'node:fs';
import type { PollerSummary, Summary } from '../../reports/summary.ts';

/** A real summary, the golden seed-article run, read afresh each time so that a test may edit it. */
export const goldenSummary = (): Summary =>
  JSON.parse(
    readFileSync(new URL('../golden/seed-article.summary.json', import.meta.url), 'utf8'),
  ) as Summary;

/** `summary` with the poller named `name` changed. */
export const editPoller = (summary: Summary, name: string, change: Partial<PollerSummary>): Summary => ({
  ...summary,
  pollers: summary.pollers.map((p) => (p.name === name ? { ...p, ...change } : p)),
});
