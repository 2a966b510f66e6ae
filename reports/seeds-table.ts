import { replayCommand } from '../sim/replay-command.ts';
import type { ChartSpec } from './charts.ts';
import { alignedTable, EFFICIENCY_LEGEND, studyLines, titledTable } from './console-table.ts';
import { formatCount, formatCounted, formatDuration, formatSeedList } from './format.ts';
import { markdownTable } from './markdown.ts';
import type { SeedsSummary, Spread } from './seeds-summary.ts';
import { rerunOf } from './summary.ts';
import { tuningParts } from './tuning.ts';
import { roundedDown, verdictAcrossSeeds } from './verdict.ts';

/** What the across-seeds columns mean, printed under the table. */
export function seedsLegend(summary: SeedsSummary): string {
  return `Over ${formatCounted(summary.seeds.length, 'run')}, one per seed. with 429s = runs that got at least one rate-limit 429; first 429 at job = the median, over those runs, of the job (of client 0) running when the first 429 came; p50 = median; worst = the longest makespan and the lowest efficiency (rounded down); below ${summary.efficiencyGoal} = runs whose efficiency is under ${summary.efficiencyGoal}. ${EFFICIENCY_LEGEND}`;
}

/** Column headers and cells of the across-seeds table, shared by the console and Markdown renderers. */
export function seedsTableRows(summary: SeedsSummary): { header: string[]; rows: string[][] } {
  const header = [
    'poller',
    'with 429s',
    '429s/run',
    'first 429 at job',
    'requests/run',
    'done/failed/abandoned',
    'makespan p50',
    'worst',
    'efficiency mean',
    'p50',
    'worst',
    `below ${summary.efficiencyGoal}`,
  ];
  const efficiency = (s: Spread | null, pick: (s: Spread) => number) =>
    s === null ? '–' : pick(s).toFixed(2);
  const rows = summary.pollers.map((p) => [
    p.spec,
    `${p.runsRateLimited}/${p.runs}`,
    p.rateLimited.mean.toFixed(1),
    p.firstRateLimitAtJob === null ? '–' : String(p.firstRateLimitAtJob.p50),
    formatCount(Math.round(p.requests.mean)),
    `${p.jobs.completed}/${p.jobs.failed}/${p.jobs.abandoned}`,
    formatDuration(p.makespanMs.p50),
    `${formatDuration(p.makespanMs.max)}${p.runsCut > 0 ? ` (${p.runsCut} cut)` : ''}`,
    efficiency(p.efficiency, (s) => s.mean),
    efficiency(p.efficiency, (s) => s.p50),
    // Rounded down, so that a run counted below the goal never shows as meeting it.
    efficiency(p.efficiency, (s) => roundedDown(s.min)),
    p.efficiency === null ? '–' : `${p.runsBelowEfficiencyGoal}/${p.runs}`,
  ]);
  return { header, rows };
}

/**
 * The per-client table of a study with several clients, over its seeds: each poller's median makespan
 * of the first and the last client to finish, and the last's over the first's. Undefined with one client.
 */
export function seedsClientRows(
  summary: SeedsSummary,
): { title: string; header: string[]; rows: string[][] } | undefined {
  const shared = summary.pollers.filter((p) => p.clients !== undefined);
  if (shared.length === 0) return undefined;
  const header = ['per client', 'makespan first p50', 'last p50', 'last ÷ first mean', 'worst'];
  const rows = shared.map((p) => {
    const c = p.clients as NonNullable<typeof p.clients>;
    return [
      p.spec,
      formatDuration(c.firstMakespanMs.p50),
      formatDuration(c.lastMakespanMs.p50),
      c.lastOverFirst.mean.toFixed(2),
      c.lastOverFirst.max.toFixed(2),
    ];
  });
  const title = `Per client (${formatCounted(summary.workload.clients, 'client')}), over the seeds: the median makespan of the first and the last to finish its jobs, and the last's over the first's (1.00 when they finish together; the oracle's is what job durations alone make).`;
  return { title, header, rows };
}

/** The paragraphs under the table: a tuning's findings, and the line naming the best row. */
function under(summary: SeedsSummary, tuned: ReturnType<typeof tuningParts>): string[] {
  const verdict = tuned.verdict ? verdictAcrossSeeds(summary) : [];
  const tuning = tuned.under.length === 0 ? [] : [tuned.under.join('\n')];
  return [...tuning, ...verdict].flatMap((line) => [line, '']);
}

function heading(summary: SeedsSummary): string[] {
  return studyLines(summary, `seeds ${formatSeedList(summary.seeds)}`);
}

/** The plain-text table `npm run sim -- --seeds …` prints: one row per poller, figures over the seeds. */
export function renderSeedsConsole(summary: SeedsSummary): string {
  const { header, rows } = seedsTableRows(summary);
  const tuned = tuningParts(summary);
  return `${[
    `pollbench · ${summary.scenario} — ${summary.description}`,
    ...heading(summary),
    ...tuned.above,
    '',
    ...alignedTable(header, rows),
    '',
    ...under(summary, tuned),
    ...titledTable(seedsClientRows(summary), alignedTable),
    seedsLegend(summary),
  ].join('\n')}\n`;
}

/**
 * The words around the across-seeds table, shared by `seeds.md` and `seeds.html`: the study's lines
 * above it, the paragraphs under it (a tuning's findings, the line naming the best row), the legend,
 * and where every seed's figures are and how to re-run one (`code` marks a command).
 */
export function seedsWords(summary: SeedsSummary, code: (text: string) => string) {
  const tuned = tuningParts(summary);
  const rerun = rerunOf(summary, 'N');
  // A tune's table can hold a hundred rows: its best alone is the seed most people want to look into.
  const best = summary.tuning?.best ?? null;
  const bestArgs =
    best === null || summary.studyArgs == null
      ? undefined
      : [...withoutPollers(summary.studyArgs), '--poller', best];
  const bestRerun =
    bestArgs === undefined
      ? ''
      : ` ${code(`${replayCommand(bestArgs, 'N')} --out DIR`)} gives the best setting's alone.`;
  return {
    above: [...heading(summary), ...tuned.above],
    under: under(summary, tuned).filter((line) => line !== ''),
    legend: seedsLegend(summary),
    rerun: `Every seed's own figures are in ${code('seeds.json')} (${code('pollers[].perSeed')}); ${rerun === undefined ? `the study's flags with ${code('--seed N --out DIR')} give` : `${code(`${rerun} --out DIR`)} gives`} one seed's full report and charts.${bestRerun}`,
  };
}

/** `seeds.md`: the study, the across-seeds table, its charts, and how to re-run any one seed. */
export function renderSeedsMarkdown(summary: SeedsSummary, charts: readonly ChartSpec[]): string {
  const { header, rows } = seedsTableRows(summary);
  const words = seedsWords(summary, (text) => `\`${text}\``);
  return [
    `# pollbench across seeds: ${summary.scenario}`,
    '',
    summary.description,
    '',
    ...words.above.map((l) => `- ${l}`),
    '',
    ...markdownTable(header, rows),
    '',
    ...words.under.flatMap((paragraph) => [paragraph, '']),
    ...titledTable(seedsClientRows(summary), markdownTable),
    words.legend,
    '',
    ...charts.flatMap((c) => [`![${c.title}](${c.file})`, '']),
    words.rerun,
    '',
  ].join('\n');
}

/** A study's flags without its `--poller` rows. */
function withoutPollers(args: readonly string[]): string[] {
  return args.filter((word, i) => word !== '--poller' && args[i - 1] !== '--poller');
}
