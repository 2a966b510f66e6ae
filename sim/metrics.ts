import { quantileSorted } from 'simple-statistics';
import { TERMINAL } from '../src/client/api-client.ts';
import type { JobKind, JobView } from '../src/server/jobs/job.ts';
import type { RequestRecord } from '../src/server/request-record.ts';
import type { JobOutcome } from './workloads/workload.ts';

const POLL_ROUTES: Readonly<Record<string, JobKind>> = {
  'runs.retrieve': 'run',
  'responses.retrieve': 'response',
  'batches.retrieve': 'batch',
  'vectorStores.fileBatches.retrieve': 'file_batch',
};

/** Detection delay summary. @unit milliseconds */
export interface DelaySummary {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

/**
 * One client's part of a run with several: the copies of a program that share one organization's
 * limits, each with its own jobs, and not necessarily its fair share of the budget.
 */
export interface ClientFigures {
  /** The client's number, from 0 (the run's `client-N`, authenticating as `sk-client-N`). */
  readonly client: number;
  /** Its requests, rate-limit 429s included. */
  readonly requests: number;
  /** Its 429 `rate_limit_exceeded` answers. */
  readonly rateLimited: number;
  readonly jobs: { readonly completed: number; readonly failed: number; readonly abandoned: number };
  /** From the start of the run until its own last job was done. @unit milliseconds */
  readonly makespanMs: number;
}

/** Every figure pollbench reports for one poller in one run, all computed from simulated traffic. */
export interface PollerMetrics {
  readonly requests: number;
  /** Requests by route, then by HTTP status. */
  readonly requestsByRoute: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** 429 `rate_limit_exceeded` answers. */
  readonly rateLimited: number;
  readonly rateLimitedBy: Readonly<Record<string, number>>;
  /** Other error answers (4xx/5xx other than rate limits), by status. */
  readonly errors: number;
  readonly errorsByStatus: Readonly<Record<string, number>>;
  readonly jobs: { readonly completed: number; readonly failed: number; readonly abandoned: number };
  /** From the start until the last job was done. @unit milliseconds */
  readonly makespanMs: number;
  readonly throughputPerMin: number;
  /** The poll that saw a terminal status minus the moment the job became terminal. */
  readonly detectionDelayMs: DelaySummary;
  readonly pollsPerJob: number;
  /**
   * Requests that moved nothing forward: rate-limit 429s, plus the other polls that did not see the job
   * end (it was still running, or the poll failed). Never more than `requests`.
   */
  readonly wastedRequests: number;
  /** 1-based index of the job (of client 0) during which the first 429 happened, or null. */
  readonly firstRateLimitAtJob: number | null;
  /** Virtual time of the first 429. @unit milliseconds */
  readonly firstRateLimitAtMs: number | null;
  /**
   * Per minute of virtual time (index 0: the first minute): requests that counted against a model's
   * limits (429s included), and the 429s among them.
   */
  readonly perMinute: { readonly counted: readonly number[]; readonly rateLimited: readonly number[] };
  /** Detection delay at percentiles 0, 2, 4, … 100 (51 values), for CDF charts; empty without data. @unit milliseconds */
  readonly detectionDelayPercentilesMs: readonly number[];
  /**
   * Each client's figures, by client number, when the run had more than one: the totals alone hide a
   * copy that waited while the others took the budget, or took every 429. Absent with one client.
   */
  readonly byClient?: readonly ClientFigures[] | undefined;
}

/**
 * Folds request records into metrics as they arrive, keeping O(jobs) state, never O(requests).
 */
export class MetricsCollector {
  private requests = 0;
  private readonly byRoute = new Map<string, Map<number, number>>();
  private rateLimited = 0;
  private readonly rateLimitedBy = new Map<string, number>();
  private errors = 0;
  private readonly errorsByStatus = new Map<number, number>();
  private polls = 0;
  private nonTerminalPolls = 0;
  private readonly terminalSeenAt = new Map<string, number>();
  private firstRateLimitAtMs: number | null = null;
  private readonly minuteRequests: number[] = [];
  private readonly minuteRateLimited: number[] = [];
  /** Requests and 429s by the sender's `x-pollbench-client`: O(clients). */
  private readonly byClient = new Map<string | undefined, { requests: number; rateLimited: number }>();

  readonly observe = (record: RequestRecord): void => {
    this.requests++;
    let client = this.byClient.get(record.client);
    if (client === undefined) {
      client = { requests: 0, rateLimited: 0 };
      this.byClient.set(record.client, client);
    }
    client.requests++;
    if (record.rejectedBy !== undefined) client.rateLimited++;
    const minute = Math.floor(record.atMs / 60_000);
    while (this.minuteRequests.length <= minute) {
      this.minuteRequests.push(0);
      this.minuteRateLimited.push(0);
    }
    if (record.model !== undefined) this.minuteRequests[minute] = (this.minuteRequests[minute] as number) + 1;
    if (record.rejectedBy !== undefined)
      this.minuteRateLimited[minute] = (this.minuteRateLimited[minute] as number) + 1;
    const route = record.route ?? 'unknown';
    let statuses = this.byRoute.get(route);
    if (statuses === undefined) {
      statuses = new Map();
      this.byRoute.set(route, statuses);
    }
    statuses.set(record.status, (statuses.get(record.status) ?? 0) + 1);
    if (record.rejectedBy !== undefined) {
      this.rateLimited++;
      this.rateLimitedBy.set(record.rejectedBy, (this.rateLimitedBy.get(record.rejectedBy) ?? 0) + 1);
      this.firstRateLimitAtMs ??= record.atMs;
    } else if (record.status >= 400) {
      this.errors++;
      this.errorsByStatus.set(record.status, (this.errorsByStatus.get(record.status) ?? 0) + 1);
    }
    const kind = POLL_ROUTES[route];
    if (kind !== undefined) {
      this.polls++;
      const jobId = record.jobId;
      if (record.status === 200 && jobId !== undefined && TERMINAL[kind].has(record.jobStatus ?? '')) {
        if (!this.terminalSeenAt.has(jobId)) this.terminalSeenAt.set(jobId, record.atMs);
      } else if (record.rejectedBy === undefined) {
        // A rate-limited poll is already among the 429s: count it once.
        this.nonTerminalPolls++;
      }
    }
  };

  /**
   * Final figures, given the job outcomes and the server's jobs (what detection delays are measured
   * against: when each ended; a job not listed has none).
   */
  finish(
    outcomes: readonly JobOutcome[],
    jobs: readonly Pick<JobView, 'id' | 'terminalAt'>[],
    oracle?: { readonly makespanMs: number; readonly resolved: number },
  ): PollerMetrics & { efficiency: number | null } {
    const delays: number[] = [];
    const byId = new Map(jobs.map((job) => [job.id, job]));
    for (const [id, seenAt] of this.terminalSeenAt) {
      const job = byId.get(id);
      if (job !== undefined) delays.push(Math.max(0, seenAt - job.terminalAt()));
    }
    delays.sort((a, b) => a - b);
    const q = (p: number) => (delays.length === 0 ? null : Math.round(quantileSorted(delays, p)));
    const count = (status: JobOutcome['status']) => outcomes.filter((o) => o.status === status).length;
    const makespanMs = outcomes.reduce((max, o) => Math.max(max, o.finishedAtMs), 0);
    const completed = count('completed');
    const firstAt = this.firstRateLimitAtMs;
    const during =
      firstAt === null
        ? undefined
        : outcomes.find((o) => o.client === 0 && o.startedAtMs <= firstAt && firstAt <= o.finishedAtMs);
    return {
      requests: this.requests,
      requestsByRoute: Object.fromEntries(
        [...this.byRoute]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([route, m]) => [route, Object.fromEntries([...m].sort(([a], [b]) => a - b))]),
      ),
      rateLimited: this.rateLimited,
      rateLimitedBy: Object.fromEntries([...this.rateLimitedBy].sort()),
      errors: this.errors,
      errorsByStatus: Object.fromEntries([...this.errorsByStatus].sort(([a], [b]) => a - b)),
      jobs: { completed, failed: count('failed'), abandoned: count('abandoned') },
      makespanMs,
      throughputPerMin: makespanMs > 0 ? round((completed * 60_000) / makespanMs, 3) : 0,
      detectionDelayMs: {
        p50: q(0.5),
        p95: q(0.95),
        max: delays.length === 0 ? null : Math.round(delays[delays.length - 1] as number),
      },
      pollsPerJob: outcomes.length === 0 ? 0 : round(this.polls / outcomes.length, 3),
      wastedRequests: this.rateLimited + this.nonTerminalPolls,
      firstRateLimitAtJob: during === undefined ? null : during.index + 1,
      firstRateLimitAtMs: firstAt,
      perMinute: { counted: [...this.minuteRequests], rateLimited: [...this.minuteRateLimited] },
      detectionDelayPercentilesMs:
        delays.length === 0
          ? []
          : Array.from({ length: 51 }, (_, i) => Math.round(quantileSorted(delays, i / 50))),
      efficiency: efficiency(oracle, makespanMs, completed + count('failed'), count('abandoned')),
      ...this.clientFigures(outcomes),
    };
  }

  /** `byClient`, when the outcomes are of more than one client. */
  private clientFigures(outcomes: readonly JobOutcome[]): { byClient?: ClientFigures[] } {
    type Mutable = { -readonly [K in keyof Omit<ClientFigures, 'jobs'>]: ClientFigures[K] } & {
      jobs: Record<JobOutcome['status'], number>;
    };
    const figures = new Map<number, Mutable>();
    for (const o of outcomes) {
      let f = figures.get(o.client);
      if (f === undefined) {
        // The simulated clients send `x-pollbench-client: client-N` (sim/engine.ts).
        const sent = this.byClient.get(`client-${o.client}`);
        f = {
          client: o.client,
          requests: sent?.requests ?? 0,
          rateLimited: sent?.rateLimited ?? 0,
          jobs: { completed: 0, failed: 0, abandoned: 0 },
          makespanMs: 0,
        };
        figures.set(o.client, f);
      }
      f.jobs[o.status]++;
      f.makespanMs = Math.max(f.makespanMs, o.finishedAtMs);
    }
    if (figures.size < 2) return {};
    return { byClient: [...figures.values()].sort((a, b) => a.client - b.client) };
  }
}

/**
 * Oracle makespan ÷ makespan. A poller that abandons jobs frees its workers early, so it is credited
 * with at most the oracle's speed, times the share of jobs it resolved (completed or failed) relative
 * to the oracle: it cannot look efficient by giving up.
 */
function efficiency(
  oracle: { makespanMs: number; resolved: number } | undefined,
  makespanMs: number,
  resolved: number,
  abandoned: number,
): number | null {
  if (oracle === undefined || makespanMs === 0 || oracle.resolved === 0) return null;
  const speed = oracle.makespanMs / makespanMs;
  return round(abandoned === 0 ? speed : Math.min(1, speed) * Math.min(1, resolved / oracle.resolved), 4);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
