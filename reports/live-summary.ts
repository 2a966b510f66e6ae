import type { JobCancel, LiveRun } from '../sim/live-run.ts';
import { formatPollerChoices } from '../src/pollers/registry.ts';
import { alignedTable, studyLines, TABLE_LEGEND, tableRows } from './console-table.ts';
import { formatCounted } from './format.ts';
import type { PollerSummary, Summary } from './summary.ts';

/**
 * What `live --json` prints: the simulated study (as `sim --json` prints it, `pollers` its simulated
 * runs, the oracle included), with where the live runs went and what they measured.
 */
export interface LiveSummary extends Omit<Summary, 'schema'> {
  readonly schema: 'pollbench/live@1';
  /** The API the live runs went to. */
  readonly baseURL: string;
  /**
   * One entry per live run, as a simulated poller's: its figures computed from the run's own traffic.
   * `efficiency` is null; detection delays are good to about a second (see the README).
   */
  readonly live: readonly LivePollerSummary[];
}

/** A live run's entry: its figures, and the jobs it cancelled when it was cut short. */
export interface LivePollerSummary extends PollerSummary {
  /** The jobs a run cut short had not seen end, with the answer to cancelling each (else empty). */
  readonly cancels: readonly JobCancel[];
}

/** The live runs beside the simulated study they ran. */
export function liveSummary(simulated: Summary, baseURL: string, runs: readonly LiveRun[]): LiveSummary {
  const specs = formatPollerChoices(runs.map(({ name, params }) => ({ name, params })));
  const { schema: _, ...study } = simulated;
  return {
    ...study,
    schema: 'pollbench/live@1',
    baseURL,
    live: runs.map((run, i) => ({
      name: run.name,
      spec: specs[i] as string,
      params: run.params,
      ...run.metrics,
      stopped: run.stopped,
      cancels: run.cancels,
    })),
  };
}

/** The table `live` prints: each poller's live row over its simulated one, then the simulated oracle. */
export function renderLiveConsole(summary: LiveSummary): string {
  const rows: PollerSummary[] = [];
  for (const live of summary.live) {
    rows.push({ ...live, spec: `${live.spec} · live` });
    const simulated = summary.pollers.find((p) => p.spec === live.spec);
    if (simulated !== undefined) rows.push({ ...simulated, spec: `${simulated.spec} · simulated` });
  }
  for (const oracle of summary.pollers.filter((p) => p.name === 'oracle'))
    rows.push({ ...oracle, spec: `${oracle.spec} · simulated` });
  const { header, rows: cells } = tableRows({ ...summary, schema: 'pollbench/summary@1', pollers: rows });
  const out = [
    `pollbench live · ${summary.scenario} — ${summary.description}`,
    `live against ${summary.baseURL}; simulated beside it:`,
    ...studyLines(summary, `seed ${summary.seed}`),
    '',
    ...alignedTable(header, cells),
    '',
    TABLE_LEGEND,
    "Live rows: measured from the run's own traffic; detection delays against the jobs' own end times, to about a second; no efficiency (no oracle knows when a real job ends).",
  ];
  for (const p of summary.live)
    if (p.stopped !== null) out.push(`${p.spec} (live) was cut short: ${p.stopped}${cancelText(p.cancels)}`);
  return `${out.join('\n')}\n`;
}

/** What became of the jobs a cut run left running, in a clause. */
function cancelText(cancels: readonly JobCancel[]): string {
  if (cancels.length === 0) return '';
  const refused = cancels.filter((c) => c.error !== null);
  const done = cancels.length - refused.length;
  const first = refused[0];
  return (
    `; cancelled ${done} of the ${formatCounted(cancels.length, 'job')} still running` +
    (first === undefined
      ? ''
      : ` (${first.id}: ${first.error}${refused.length > 1 ? `; and ${refused.length - 1} more` : ''})`)
  );
}
