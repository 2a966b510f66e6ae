import { renderConsole } from '../reports/console-table.ts';
import { shortPath } from '../reports/output-dir.ts';
import { type SeedsSummary, summarizeSeeds } from '../reports/seeds-summary.ts';
import { renderSeedsConsole } from '../reports/seeds-table.ts';
import type { Summary } from '../reports/summary.ts';
import { summarizeTiers, tierLabel } from '../reports/tiers-summary.ts';
import { renderTiersConsole } from '../reports/tiers-table.ts';
import { summaryJson, writeReport, writeSeedsReport, writeTiersReport } from '../reports/write-report.ts';
import { answerHelpOrVersion, runCommand } from '../src/cli/usage-error.ts';
import type { Tier } from '../src/server/limits/tier-tables.ts';
import { PollerFailed } from './engine.ts';
import { importPollerModules } from './poller-modules.ts';
import { type SimulatedRun, simulateHere, simulateInWorker, studySeeds } from './seed-study.ts';
import {
  configFromFlags,
  parseSimFlags,
  perTierCommands,
  rowsStudyArgs,
  type SimCommand,
  simHelp,
  studyArgs,
  tierStudyArgs,
} from './sim-flags.ts';
import { tunePoller } from './tune.ts';
import type { TuneTarget } from './tune-spec.ts';

/** The files a report wrote, as a line under the table (not with --json: stdout is the document). */
function reportWritten(written: readonly string[], json: boolean): void {
  if (!json) process.stdout.write(`\nwrote ${written.map(shortPath).join(', ')}\n`);
}

async function simulateOnce(
  parsed: SimCommand,
  modules: readonly string[],
  args: readonly string[],
): Promise<void> {
  // A long run (the sdk transport at tier 5 takes ~40 s) shows where it is on a terminal.
  const onPoller = process.stderr.isTTY
    ? (spec: string, index: number, total: number) =>
        process.stderr.write(`\rsimulating ${spec} (${index + 1} of ${total})…\u001b[K`)
    : undefined;
  const ran = await run(parsed, modules, onPoller).finally(() => {
    if (onPoller !== undefined) process.stderr.write('\r\u001b[K');
  });
  const summary = { ...ran.summary, studyArgs: [...args] };
  process.stdout.write(parsed.json ? summaryJson(summary) : renderConsole(summary));
  if (parsed.out !== undefined)
    reportWritten(await writeReport(parsed.out, summary, ran.traces), parsed.json);
}

/**
 * One simulation: here, or, with pollers from `--import`, in a watched worker thread, since their code
 * may await only promises and hold a thread for ever (see sim/watchdog.ts).
 */
async function run(
  parsed: SimCommand,
  modules: readonly string[],
  onPoller: ((spec: string, index: number, total: number) => void) | undefined,
): Promise<SimulatedRun> {
  if (modules.length > 0)
    return simulateInWorker(parsed.config, modules, { onPoller, stallMs: parsed.stallMs });
  return simulateHere(parsed.config, parsed.config.trace === true, { onPoller });
}

/**
 * How a study across seeds runs its threads: as many as `--threads`; pollers from `--import` in isolated,
 * watched workers (see sim/watchdog.ts); `onProgress` told as seeds finish.
 */
function threadOptions<Progress>(parsed: SimCommand, modules: readonly string[], onProgress: Progress) {
  return {
    threads: parsed.threads,
    modules,
    isolated: modules.length > 0,
    stallMs: parsed.stallMs,
    onProgress,
  };
}

/** A study across seeds (or a search) printed as its table or its JSON, and its report written with `--out`. */
async function printSeeds(parsed: SimCommand, summary: SeedsSummary): Promise<void> {
  process.stdout.write(parsed.json ? summaryJson(summary) : renderSeedsConsole(summary));
  if (parsed.out !== undefined) reportWritten(await writeSeedsReport(parsed.out, summary), parsed.json);
}

async function simulateSeeds(
  parsed: SimCommand,
  seeds: readonly number[],
  modules: readonly string[],
  args: readonly string[],
): Promise<void> {
  // A long study shows where it is on a terminal; stdout (and any pipe) gets only the result.
  const line = (done: number, total: number) =>
    process.stderr.write(done < total ? `\r${done} of ${total} seeds done…\u001b[K` : '\r\u001b[K');
  const onProgress = process.stderr.isTTY ? line : undefined;
  onProgress?.(0, seeds.length);
  // Cleared however the study ends, so that an error message starts on a clean line.
  const { summaries } = await studySeeds(
    parsed.config,
    seeds,
    threadOptions(parsed, modules, onProgress),
  ).finally(() => onProgress?.(seeds.length, seeds.length));
  const summary = { ...summarizeSeeds(summaries), studyArgs: [...args] };
  await printSeeds(parsed, summary);
}

/**
 * `--tune`: the search, printed as a seeds table with a row per setting tried. Its `studyArgs` name every
 * row as a `--poller` in place of `--tune`, so that `--seed N` re-runs one seed of what the table shows.
 */
async function tuneSeeds(
  parsed: SimCommand,
  target: TuneTarget,
  seeds: readonly number[],
  modules: readonly string[],
  args: readonly string[],
): Promise<void> {
  const line = (step: string, done: number, total: number) =>
    process.stderr.write(
      done < total ? `\rtuning, ${step}: ${done} of ${total} seeds done…\u001b[K` : '\r\u001b[K',
    );
  const onProgress = process.stderr.isTTY ? line : undefined;
  const summary = await tuneAt(parsed, target, seeds, modules, args, onProgress).finally(() =>
    onProgress?.('', 1, 1),
  );
  await printSeeds(parsed, summary);
}

/** One `--tune` search, its document's `studyArgs` naming every setting tried as a `--poller`. */
async function tuneAt(
  parsed: SimCommand,
  target: TuneTarget,
  seeds: readonly number[],
  modules: readonly string[],
  args: readonly string[],
  onProgress: ((step: string, done: number, total: number) => void) | undefined,
): Promise<SeedsSummary> {
  const tuned = await tunePoller(parsed.config, target, seeds, {
    ...parsed.tuneOptions,
    ...threadOptions(parsed, modules, onProgress),
  });
  const rows = tuned.pollers.filter((p) => p.name !== 'oracle').map((p) => p.spec);
  return { ...tuned, studyArgs: rowsStudyArgs(args, rows) };
}

/**
 * `--tier` naming several tiers: the study at each in turn (a run, or a study across `--seeds`), then one
 * table with a row per poller and a column per tier. Each tier's document keeps flags that re-run that
 * tier alone.
 */
async function simulateTiers(
  perTier: readonly { tier: Tier; command: SimCommand }[],
  description: string | null,
  modules: readonly string[],
  args: readonly string[],
): Promise<void> {
  const first = (perTier[0] as { command: SimCommand }).command;
  const tty = process.stderr.isTTY;
  const at = (i: number) =>
    `${tierLabel((perTier[i] as { tier: Tier }).tier)} (${i + 1} of ${perTier.length})`;
  const runs: Summary[] = [];
  const studies: SeedsSummary[] = [];
  const traces: SimulatedRun['traces'][] = [];
  try {
    for (const [i, { tier, command }] of perTier.entries()) {
      const own = tierStudyArgs(args, tier);
      if (command.tune !== undefined && command.seeds !== undefined) {
        const onProgress = tty
          ? (step: string, done: number, total: number) =>
              process.stderr.write(`\r${at(i)}: tuning, ${step}: ${done} of ${total} seeds done…\u001b[K`)
          : undefined;
        studies.push(await tuneAt(command, command.tune, command.seeds, modules, own, onProgress));
      } else if (command.seeds === undefined) {
        const onPoller = tty
          ? (spec: string, index: number, total: number) =>
              process.stderr.write(`\rsimulating ${at(i)}: ${spec} (${index + 1} of ${total})…\u001b[K`)
          : undefined;
        const ran = await run(command, modules, onPoller);
        runs.push({ ...ran.summary, studyArgs: own });
        traces.push(ran.traces);
      } else {
        const onProgress = tty
          ? (done: number, total: number) =>
              process.stderr.write(`\r${at(i)}: ${done} of ${total} seeds done…\u001b[K`)
          : undefined;
        const { summaries } = await studySeeds(
          command.config,
          command.seeds,
          threadOptions(command, modules, onProgress),
        );
        studies.push({ ...summarizeSeeds(summaries), studyArgs: own });
      }
    }
  } finally {
    if (tty) process.stderr.write('\r\u001b[K');
  }
  const tiers = perTier.map((t) => t.tier);
  const summary = summarizeTiers(tiers, first.seeds === undefined ? runs : studies, {
    studyArgs: args,
    description,
  });
  process.stdout.write(first.json ? summaryJson(summary) : renderTiersConsole(summary));
  if (first.out !== undefined)
    reportWritten(
      await writeTiersReport(first.out, summary, first.config.trace ? traces : undefined),
      first.json,
    );
}

await runCommand('sim', async () => {
  // Flags are checked before any module runs; the modules run before pollers are named and listed.
  const flags = parseSimFlags(process.argv.slice(2));
  // What a re-run of one seed needs, for the reports: the flags that define the study.
  const args = studyArgs(process.argv.slice(2));
  const modules = await importPollerModules(flags.import ?? []);
  const tiers = perTierCommands(flags);
  if (tiers !== undefined) {
    await simulateTiers(tiers.perTier, tiers.description, modules, args).catch(stopOnPollerFailure);
    return;
  }
  const parsed = configFromFlags(flags);
  if (parsed === 'help' || parsed === 'version') {
    answerHelpOrVersion({ [parsed]: true }, simHelp(flags.poller ?? []));
    return;
  }
  await (parsed.seeds === undefined
    ? simulateOnce(parsed, modules, args)
    : parsed.tune === undefined
      ? simulateSeeds(parsed, parsed.seeds, modules, args)
      : tuneSeeds(parsed, parsed.tune, parsed.seeds, modules, args)
  ).catch(stopOnPollerFailure);
});

/** A poller that failed the run (threw, never slept, never finished) is named, and the command exits 1. */
function stopOnPollerFailure(error: unknown): void {
  if (!(error instanceof PollerFailed)) throw error;
  process.stderr.write(`sim: ${error.message}\n`);
  process.exitCode = 1;
}
