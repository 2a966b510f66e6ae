import { writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { RequestRecord } from '../src/server/request-record.ts';
import { chartSpecs } from './charts.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { ensureOutputDir, OutputDirError, reason } from './output-dir.ts';
import { renderPngs } from './png.ts';
import { seedsChartSpecs } from './seeds-charts.ts';
import { renderSeedsHtml } from './seeds-html.ts';
import type { SeedsSummary } from './seeds-summary.ts';
import { renderSeedsMarkdown } from './seeds-table.ts';
import type { Summary } from './summary.ts';
import { tiersChartSpecs } from './tiers-charts.ts';
import { renderTiersHtml } from './tiers-html.ts';
import type { TiersSummary } from './tiers-summary.ts';
import { renderTiersMarkdown, tierDir } from './tiers-table.ts';
import { traceLines } from './trace.ts';

/**
 * Serialises a summary exactly as `summary.json` (or `seeds.json`, `tiers.json`) holds it: stable key
 * order, trailing newline.
 */
export function summaryJson(summary: Summary | SeedsSummary | TiersSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/** Writes files into `dir` (created if need be), remembering their paths; write errors name the file. */
function fileWriter(dir: string) {
  ensureOutputDir(dir);
  const written: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    try {
      writeFileSync(path, content);
    } catch (error) {
      throw new OutputDirError(`${path}: cannot write (${reason(error)})`);
    }
    written.push(path);
  };
  return { write, written };
}

/** The requests of one run, by poller, for its `trace.jsonl`. */
type Traces = ReadonlyArray<{ readonly poller: string; readonly records: readonly RequestRecord[] }>;

/**
 * Writes the report files to `dir`: `summary.json`, `report.md`, the four PNG charts, `report.html`,
 * and `trace.jsonl` when traces are given. Everything but the trace is derived from the summary.
 * @returns the paths written.
 * @throws {@link OutputDirError} when the directory or a file in it cannot be written.
 */
export async function writeReport(
  dir: string,
  summary: Summary,
  traces?: Traces,
  options: { readonly writeSummary?: boolean } = {},
): Promise<string[]> {
  const { write, written } = fileWriter(dir);
  if (options.writeSummary ?? true) write('summary.json', summaryJson(summary));
  const charts = chartSpecs(summary);
  for (const [file, png] of await renderPngs(charts)) write(file, png);
  write('report.md', renderMarkdown(summary, charts));
  write('report.html', renderHtml(summary, charts));
  if (traces !== undefined)
    write('trace.jsonl', `${traces.flatMap((t) => traceLines(t.poller, t.records)).join('\n')}\n`);
  return written;
}

/**
 * Writes a study over several seeds to `dir`: `seeds.json` (the `--seeds --json` document), its charts
 * (`seeds-efficiency.png`, and `tuning-curve.png` for a `--tune` study, `tuning-map.png` for one over two
 * parameters), `seeds.md` (its table and the charts) and `seeds.html` (the same, with the charts
 * interactive). @returns the paths written.
 * @throws {@link OutputDirError} when the directory or a file in it cannot be written.
 */
export async function writeSeedsReport(
  dir: string,
  summary: SeedsSummary,
  options: { readonly writeSummary?: boolean } = {},
): Promise<string[]> {
  const { write, written } = fileWriter(dir);
  if (options.writeSummary ?? true) write('seeds.json', summaryJson(summary));
  const charts = seedsChartSpecs(summary);
  for (const [file, png] of await renderPngs(charts)) write(file, png);
  write('seeds.md', renderSeedsMarkdown(summary, charts));
  write('seeds.html', renderSeedsHtml(summary, charts));
  return written;
}

/**
 * Writes a study at several tiers to `dir`: `tiers.json` (the `--tier … --json` document), its two
 * charts (`tiers-efficiency.png`, `tiers-429s.png`), `tiers.md` and `tiers.html`, and each tier's own
 * report, as `--tier T --out` would write it, in `tier-T/` (with its `trace.jsonl` when `traces` has
 * that tier's).
 * @param traces - each tier's requests, in the order of `summary.tiers`, for `--trace`
 * @returns the paths written, then each tier's folder (ending in a separator), which holds its report.
 * @throws {@link OutputDirError} when the directory or a file in it cannot be written.
 */
export async function writeTiersReport(
  dir: string,
  summary: TiersSummary,
  traces?: readonly (Traces | undefined)[],
  options: { readonly writeSummary?: boolean } = {},
): Promise<string[]> {
  const { write, written } = fileWriter(dir);
  if (options.writeSummary ?? true) write('tiers.json', summaryJson(summary));
  const charts = tiersChartSpecs(summary);
  for (const [file, png] of await renderPngs(charts)) write(file, png);
  write('tiers.md', renderTiersMarkdown(summary, charts));
  write('tiers.html', renderTiersHtml(summary, charts));
  const folders: string[] = [];
  for (const [i, study] of summary.studies.entries()) {
    const own = join(dir, tierDir(summary.tiers[i] as string));
    await (study.schema === 'pollbench/seeds@1'
      ? writeSeedsReport(own, study)
      : writeReport(own, study, traces?.[i]));
    folders.push(`${own}${sep}`);
  }
  return [...written, ...folders];
}
