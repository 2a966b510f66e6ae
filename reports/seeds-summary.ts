import { max, mean, median, min } from 'simple-statistics';
import type { PollerSummary, Summary } from './summary.ts';
import type { Tuning } from './tuning.ts';
import { bestAcrossSeeds } from './verdict.ts';

/** One figure over several runs. */
export interface Spread {
  readonly mean: number;
  readonly p50: number;
  readonly min: number;
  readonly max: number;
}

/** The efficiency below which a run misses the design's goal for `adaptive` (issue 3: ≥ 0.9). */
export const EFFICIENCY_GOAL = 0.9;

/** One poller's headline figures in one seed's run (the full figures are that seed's `--json`). */
export interface SeedRun {
  readonly seed: number;
  readonly requests: number;
  readonly rateLimited: number;
  readonly errors: number;
  readonly jobs: PollerSummary['jobs'];
  readonly makespanMs: number;
  readonly detectionDelayP95Ms: number | null;
  readonly firstRateLimitAtJob: number | null;
  readonly efficiency: number | null;
  readonly stopped: string | null;
  /**
   * With several clients: the makespan of the client that finished its jobs first, and of the one that
   * finished last. Absent with one client.
   */
  readonly clientMakespanMs?: { readonly first: number; readonly last: number } | undefined;
}

/**
 * With several clients, over the seeds: the first and the last client's makespans, and the last's over
 * the first's (1 when the copies finished together; the oracle's shows what job durations alone make).
 */
export interface ClientsAcrossSeeds {
  readonly firstMakespanMs: Spread;
  readonly lastMakespanMs: Spread;
  readonly lastOverFirst: Spread;
}

/** One poller over every seed: the `--seeds --json` document's `pollers[]`. */
export interface PollerAcrossSeeds {
  readonly name: string;
  readonly spec: string;
  readonly params: PollerSummary['params'];
  readonly runs: number;
  /** Runs with at least one rate-limit 429. */
  readonly runsRateLimited: number;
  /** Runs cut short (horizon, event budget). */
  readonly runsCut: number;
  readonly requests: Spread;
  readonly rateLimited: Spread;
  readonly errors: Spread;
  /** Jobs summed over the runs. */
  readonly jobs: PollerSummary['jobs'];
  readonly makespanMs: Spread;
  /** Over the runs that detected at least one job's end. */
  readonly detectionDelayP95Ms: Spread | null;
  /** Over the runs that had a 429; null when none did. */
  readonly firstRateLimitAtJob: Spread | null;
  readonly efficiency: Spread | null;
  /** Runs whose efficiency is below {@link EFFICIENCY_GOAL}. */
  readonly runsBelowEfficiencyGoal: number;
  /** With several clients (see {@link ClientsAcrossSeeds}); absent with one. */
  readonly clients?: ClientsAcrossSeeds | undefined;
  readonly perSeed: readonly SeedRun[];
}

/** The document `npm run sim -- --seeds … --json` prints and `seeds.json` holds. */
export interface SeedsSummary extends Omit<Summary, 'schema' | 'seed' | 'pollers'> {
  readonly schema: 'pollbench/seeds@1';
  readonly seeds: readonly number[];
  readonly efficiencyGoal: number;
  /**
   * The spec of the poller the line under the table names ({@link bestAcrossSeeds}): of those that
   * finished every job on every seed, the oracle aside, the fewest runs with 429s, then the fewest 429s a
   * run, the highest mean and worst efficiency, the fewest requests. Null when none but the oracle did;
   * absent in a document written before the field existed.
   */
  readonly recommended?: string | null | undefined;
  readonly pollers: readonly PollerAcrossSeeds[];
  /** How a `--tune` study searched and what it found; absent in any other study. */
  readonly tuning?: Tuning | undefined;
}

/**
 * Folds the summaries of one study run at several seeds (same scenario, same pollers) into one
 * document: each figure's mean, median and range per poller, and every seed's headline figures.
 */
export function summarizeSeeds(summaries: readonly Summary[]): SeedsSummary {
  const [first] = summaries;
  if (first === undefined) throw new Error('summarizeSeeds: no runs');
  for (const s of summaries)
    if (
      s.scenario !== first.scenario ||
      s.pollers.map((p) => p.spec).join() !== first.pollers.map((p) => p.spec).join()
    )
      throw new Error(`summarizeSeeds: seed ${s.seed} ran another study than seed ${first.seed}`);
  const pollers = first.pollers.map((poller, i) =>
    acrossSeeds(
      poller,
      summaries.map((s) => ({ seed: s.seed, run: s.pollers[i] as PollerSummary })),
    ),
  );
  return {
    schema: 'pollbench/seeds@1',
    pollbenchVersion: first.pollbenchVersion,
    scenario: first.scenario,
    description: first.description,
    tier: first.tier,
    model: first.model,
    seeds: summaries.map((s) => s.seed),
    transport: first.transport,
    studyArgs: first.studyArgs ?? null,
    limits: first.limits,
    limitsSubject: first.limitsSubject,
    limitsSource: first.limitsSource,
    workload: first.workload,
    efficiencyGoal: EFFICIENCY_GOAL,
    recommended: bestAcrossSeeds({ pollers })?.spec ?? null,
    pollers,
  };
}

function acrossSeeds(
  poller: PollerSummary,
  runs: ReadonlyArray<{ readonly seed: number; readonly run: PollerSummary }>,
): PollerAcrossSeeds {
  const perSeed: SeedRun[] = runs.map(({ seed, run }) => ({
    seed,
    requests: run.requests,
    rateLimited: run.rateLimited,
    errors: run.errors,
    jobs: run.jobs,
    makespanMs: run.makespanMs,
    detectionDelayP95Ms: run.detectionDelayMs.p95,
    firstRateLimitAtJob: run.firstRateLimitAtJob,
    efficiency: run.efficiency,
    stopped: run.stopped,
    ...clientMakespans(run),
  }));
  const of = (pick: (r: SeedRun) => number | null) => spread(perSeed.map(pick));
  const sum = (key: keyof SeedRun['jobs']) => perSeed.reduce((n, r) => n + r.jobs[key], 0);
  return {
    name: poller.name,
    spec: poller.spec,
    params: poller.params,
    runs: perSeed.length,
    runsRateLimited: perSeed.filter((r) => r.rateLimited > 0).length,
    runsCut: perSeed.filter((r) => r.stopped !== null).length,
    requests: of((r) => r.requests) as Spread,
    rateLimited: of((r) => r.rateLimited) as Spread,
    errors: of((r) => r.errors) as Spread,
    jobs: { completed: sum('completed'), failed: sum('failed'), abandoned: sum('abandoned') },
    makespanMs: of((r) => r.makespanMs) as Spread,
    detectionDelayP95Ms: of((r) => r.detectionDelayP95Ms),
    firstRateLimitAtJob: of((r) => r.firstRateLimitAtJob),
    efficiency: of((r) => r.efficiency),
    runsBelowEfficiencyGoal: perSeed.filter((r) => r.efficiency !== null && r.efficiency < EFFICIENCY_GOAL)
      .length,
    ...clientsAcrossSeeds(perSeed),
    perSeed,
  };
}

function clientMakespans(run: PollerSummary): Pick<SeedRun, 'clientMakespanMs'> {
  const clients = run.byClient;
  if (clients === undefined || clients.length < 2) return {};
  const makespans = clients.map((c) => c.makespanMs);
  return { clientMakespanMs: { first: min(makespans), last: max(makespans) } };
}

/**
 * The last client's makespan over the first's, to three decimals: 1 when they finish together (or the
 * first took no time). One run's figure, as each seed's and the tiers table's cells use it.
 */
export function lastOverFirst(firstMs: number, lastMs: number): number {
  return firstMs > 0 ? Math.round((lastMs / firstMs) * 1000) / 1000 : 1;
}

function clientsAcrossSeeds(perSeed: readonly SeedRun[]): { clients?: ClientsAcrossSeeds } {
  const known = perSeed.flatMap((r) => (r.clientMakespanMs === undefined ? [] : [r.clientMakespanMs]));
  // A study's seeds all run the same workload: every run has them, or none.
  if (known.length === 0) return {};
  const of = (values: number[]) => spread(values) as Spread;
  return {
    clients: {
      firstMakespanMs: of(known.map((c) => c.first)),
      lastMakespanMs: of(known.map((c) => c.last)),
      lastOverFirst: of(known.map((c) => lastOverFirst(c.first, c.last))),
    },
  };
}

/** Mean (to 4 decimals), median and range of the values that are not null; null when none are. */
function spread(values: ReadonlyArray<number | null>): Spread | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  return {
    mean: Math.round(mean(known) * 10_000) / 10_000,
    p50: median(known),
    min: min(known),
    max: max(known),
  };
}
