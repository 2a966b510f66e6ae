import { formatCount, formatCounted, formatDuration } from './format.ts';
import type { PollerAcrossSeeds, SeedsSummary } from './seeds-summary.ts';
import type { PollerSummary, Summary } from './summary.ts';

/**
 * Which poller a study recommends, by the question pollbench answers: which one finishes every job
 * soonest without being rate limited (issue 3, "Why"). Only pollers that finished every job qualify
 * (one that gave up on some did less work, so its time is no yardstick), and never the oracle, which
 * no program can run. Fewer rate-limit 429s first, however much sooner the others finished: 429s are
 * the problem a user came with, so one free of them beats any with some, and when none is, the fewest
 * is the nearest to what was asked. Then the higher efficiency as printed (two decimals: 0.1 % is no
 * reason to prefer a poller that sends a third more requests), then fewer requests.
 */
export function bestOfRun(summary: Pick<Summary, 'pollers'>): PollerSummary | undefined {
  const finished = summary.pollers.filter(
    (p) => p.name !== 'oracle' && p.jobs.abandoned === 0 && p.stopped === null,
  );
  return finished.sort(
    (a, b) =>
      a.rateLimited - b.rateLimited || shown(b.efficiency) - shown(a.efficiency) || a.requests - b.requests,
  )[0];
}

/**
 * The same over several seeds: a poller must finish every job on every seed (none abandoned, no run cut
 * short). Fewer runs with 429s first (one free of them on every seed beats any that got some), then
 * fewer 429s a run, the higher mean efficiency (as printed), the higher worst one, fewer requests a
 * run.
 */
export function bestAcrossSeeds(summary: Pick<SeedsSummary, 'pollers'>): PollerAcrossSeeds | undefined {
  return rankAcrossSeeds(summary)[0];
}

/**
 * The pollers that finished every job on every seed (the oracle aside), best first, as
 * {@link bestAcrossSeeds} ranks them.
 */
export function rankAcrossSeeds(summary: Pick<SeedsSummary, 'pollers'>): PollerAcrossSeeds[] {
  const finished = summary.pollers.filter(
    (p) => p.name !== 'oracle' && p.jobs.abandoned === 0 && p.runsCut === 0,
  );
  return finished.sort(
    (a, b) =>
      a.runsRateLimited - b.runsRateLimited ||
      a.rateLimited.mean - b.rateLimited.mean ||
      shown(b.efficiency?.mean ?? null) - shown(a.efficiency?.mean ?? null) ||
      roundedDown(b.efficiency?.min ?? -1) - roundedDown(a.efficiency?.min ?? -1) ||
      a.requests.mean - b.requests.mean,
  );
}

/** What a run's recommendation and reading say when only the oracle qualified. */
export const NO_POLLER_FINISHED = 'No poller other than the oracle finished every job.';

/**
 * The recommendation printed under the table of one run, every figure from the summary; none when the
 * study compares no two pollers (the oracle aside).
 * @param options.check - end with how to check the choice over ten seeds @defaultValue true (false
 * where several runs share that line)
 */
export function verdictOfRun(
  summary: Pick<Summary, 'pollers' | 'workload'>,
  { check: withCheck = true }: { readonly check?: boolean } = {},
): string[] {
  const hint = sharingHint(
    summary.workload.clients,
    summary.pollers.filter((p) => p.rateLimited > 0),
  );
  if (contenders(summary.pollers) < 2) return hint;
  const best = bestOfRun(summary);
  if (best === undefined) return [NO_POLLER_FINISHED, ...hint];
  const figures = `${formatDuration(best.makespanMs)}, ${formatCounted(best.requests, 'request')}, efficiency ${best.efficiency === null ? '–' : best.efficiency.toFixed(2)}`;
  // One seed is one draw of job durations and latencies: say how to check the choice.
  const check = withCheck ? ' At one seed; --seeds 1-10 checks it over ten.' : '';
  return [
    best.rateLimited === 0
      ? `Soonest without a 429: ${best.spec} (${figures}, no job abandoned).${check}`
      : `No poller finished without a 429. Fewest of those that abandoned no job: ${best.spec} (${formatCounted(best.rateLimited, '429')}, ${figures}).${check}`,
    ...hint,
  ];
}

/**
 * The recommendation printed under the across-seeds table, every figure from the summary; none when
 * the study compares no two pollers (the oracle aside).
 */
export function verdictAcrossSeeds(summary: Pick<SeedsSummary, 'pollers' | 'seeds' | 'workload'>): string[] {
  const hint = sharingHint(
    summary.workload.clients,
    summary.pollers.filter((p) => p.runsRateLimited > 0),
  );
  if (contenders(summary.pollers) < 2) return hint;
  const best = bestAcrossSeeds(summary);
  const runs = summary.seeds.length;
  const every = onEverySeed(runs);
  if (best === undefined) return [`No poller other than the oracle finished every job on ${every}.`, ...hint];
  const figures = figuresAcross(best);
  const limited =
    runs === 1
      ? formatCounted(best.rateLimited.mean, '429')
      : `429s on ${best.runsRateLimited} of ${runs} runs, ${best.rateLimited.mean.toFixed(1)} a run`;
  return [
    best.runsRateLimited === 0
      ? `Soonest without a 429 on ${every}: ${best.spec} (${figures}, no job abandoned).`
      : `No poller went without a 429 on ${every}. Fewest of those that abandoned no job: ${best.spec} (${limited}; ${figures}).`,
    ...hint,
  ];
}

/**
 * The line for a study of several clients on one organization in which a poller that can be told how
 * many share the limits (a `clients` parameter: `adaptive`, `limiter`) was told fewer, and got 429s:
 * each of its copies counted on more of the budget than its part. None otherwise.
 * @param limited - the rows that got rate-limit 429s
 */
export function sharingHint(
  clients: number,
  limited: ReadonlyArray<Pick<PollerSummary, 'spec' | 'params'>>,
): string[] {
  if (clients < 2) return [];
  // A rate given to `limiter` (rpm) is its process's own, which `clients` does not divide.
  const told = limited.filter(
    (p) =>
      typeof p.params.clients === 'number' &&
      p.params.clients < clients &&
      !(typeof p.params.rpm === 'number' && p.params.rpm > 0),
  );
  const first = told[0];
  if (first === undefined) return [];
  const specs = told.map((p) => p.spec);
  const named = specs.length === 1 ? specs[0] : `${specs.slice(0, -1).join(', ')} and ${specs.at(-1)}`;
  const example = withClients(first.spec, clients);
  return [
    `The ${clients} clients share one organization's limits, and ${named} got 429s counting on more of them than a client's part: tell ${told.length === 1 ? 'it' : 'them'} how many clients share them, as in --poller ${example}.`,
  ];
}

/** `spec` with its `clients` parameter set to `clients`. */
function withClients(spec: string, clients: number): string {
  if (/[:,]clients=/.test(spec)) return spec.replace(/([:,])clients=[^,]*/, `$1clients=${clients}`);
  return `${spec}${spec.includes(':') ? ',' : ':'}clients=${clients}`;
}

/** Pollers a program could run: every one but the oracle. */
function contenders(pollers: ReadonlyArray<{ readonly name: string }>): number {
  return pollers.filter((p) => p.name !== 'oracle').length;
}

/** Efficiency as the tables print it, in hundredths; a missing one ranks last. */
function shown(efficiency: number | null): number {
  return efficiency === null ? -1 : Math.round(efficiency * 100);
}

/** Rounded down to hundredths, as the seeds table prints the worst efficiency. */
export function roundedDown(value: number): number {
  return Math.floor(value * 100) / 100;
}

/** `its seed`, `both seeds` or `all 10 seeds`: what "every seed" is in a study of `runs` seeds. */
export function onEverySeed(runs: number): string {
  return runs === 1 ? 'its seed' : runs === 2 ? 'both seeds' : `all ${runs} seeds`;
}

/** A row's efficiency over the seeds in words: `efficiency 0.97 mean, 0.95 worst`. */
export function efficiencyAcross(row: PollerAcrossSeeds): string {
  return row.efficiency === null
    ? 'efficiency –'
    : `efficiency ${row.efficiency.mean.toFixed(2)} mean, ${roundedDown(row.efficiency.min).toFixed(2)} worst`;
}

/** Its efficiency and requests a run: `efficiency 0.97 mean, 0.95 worst, 1,272 requests a run`. */
export function figuresAcross(row: PollerAcrossSeeds): string {
  return `${efficiencyAcross(row)}, ${formatCount(Math.round(row.requests.mean))} requests a run`;
}
