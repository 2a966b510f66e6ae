import { formatCount, formatCounted, formatDuration, formatLimits } from './format.ts';
import type { PollerSummary, Summary } from './summary.ts';
import { bestOfRun, NO_POLLER_FINISHED } from './verdict.ts';

const pct = (a: number, b: number) => `${Math.round((1 - a / b) * 100)}%`;
const jobsWord = (n: number) => formatCounted(n, 'job');
/** `was` or `were`, for a count. */
const were = (n: number) => (n === 1 ? 'was' : 'were');

/**
 * A short plain-words reading of a result: which poller wins, by how much, and why, every figure taken
 * from the summary. The first poller listed is the baseline (a scenario lists the program it studies
 * first, e.g. the seed program).
 */
export function readResult(summary: Summary): string[] {
  const pollers = summary.pollers;
  const baseline = pollers[0];
  const oracle = pollers.find((p) => p.name === 'oracle');
  if (baseline === undefined) return ['No poller was simulated.'];
  const out: string[] = [];
  const rpm = summary.limits?.rpm;
  const peak = Math.max(0, ...baseline.perMinute.counted);
  out.push(
    `**${baseline.spec}** (the baseline) made ${formatCounted(baseline.requests, 'request')} and got ${formatCounted(baseline.rateLimited, 'rate-limit 429')}` +
      (baseline.firstRateLimitAtJob === null
        ? ''
        : `, the first during job ${baseline.firstRateLimitAtJob}`) +
      `; it finished ${jobsWord(baseline.jobs.completed)}, ${baseline.jobs.failed} failed on the server's side and ${baseline.jobs.abandoned} ${were(baseline.jobs.abandoned)} abandoned, in ${formatDuration(baseline.makespanMs)}.`,
  );
  if (baseline.rateLimited > 0) {
    out.push(
      `Why: the limit is ${formatLimits(summary.limits)}` +
        (rpm === undefined ? '' : `, i.e. one request every ${formatDuration(60_000 / rpm)} on average`) +
        `, and every poll counts against it. The baseline sent up to ${formatCounted(peak, 'counted request')} in one minute and wasted ${formatCount(baseline.wastedRequests)} of ${formatCount(baseline.requests)} (429s, and other polls that did not see the job end).` +
        (baseline.jobs.abandoned > 0
          ? ` ${jobsWord(baseline.jobs.abandoned)} ${were(baseline.jobs.abandoned)} abandoned: errors that outlasted the client's retries.`
          : ''),
    );
  }
  const best = bestOfRun(summary);
  if (best === undefined) {
    out.push(NO_POLLER_FINISHED);
  } else if (best !== baseline) {
    out.push(winnerSentence(best, baseline));
  } else {
    out.push(
      `The baseline is also the best of the pollers compared (efficiency ${best.efficiency?.toFixed(2) ?? '–'}).`,
    );
  }
  if (oracle !== undefined) {
    out.push(
      `The oracle, which knows when each job finishes and how much budget is left, needed ${formatCounted(oracle.requests, 'request')} and ${formatDuration(oracle.makespanMs)}: no strategy can do better on these jobs, so efficiency = oracle makespan ÷ makespan.`,
    );
  }
  if (summary.workload.clients > 1) {
    out.push(
      `${summary.workload.clients} clients share one organization's limits without coordinating: each sees only its own requests, the bucket sees all of them.`,
    );
  }
  return out;
}

function winnerSentence(best: PollerSummary, baseline: PollerSummary): string {
  // A baseline that gave up on jobs did less work: its time and traffic are no yardstick.
  const comparable = baseline.jobs.abandoned === 0;
  const faster =
    comparable && best.makespanMs < baseline.makespanMs
      ? `, ${pct(best.makespanMs, baseline.makespanMs)} sooner than the baseline`
      : '';
  const fewer =
    comparable && best.requests < baseline.requests
      ? ` with ${pct(best.requests, baseline.requests)} fewer requests`
      : '';
  // The ranking puts a poller free of 429s first: one that got some won only because none was.
  const none = best.rateLimited > 0 ? 'No poller finished every job without a 429. ' : '';
  return (
    `${none}**Use ${best.spec}**: it finished every job in ${formatDuration(best.makespanMs)}${faster}${fewer}, ` +
    `with ${formatCounted(best.rateLimited, '429')}, ${best.pollsPerJob.toFixed(2)} polls per job and a median detection delay of ${formatDuration(best.detectionDelayMs.p50)} ` +
    `(efficiency ${best.efficiency?.toFixed(2) ?? '–'} of the oracle).`
  );
}
