import type { RequestRecord } from '../src/server/request-record.ts';

const POLL_ROUTES = new Set(['runs.retrieve', 'responses.retrieve', 'batches.retrieve']);

/**
 * One `trace.jsonl` line per request: time, poller, client, job, route, status, the dimension that
 * rejected it, and the budget left after it.
 */
export function traceLines(poller: string, records: readonly RequestRecord[]): string[] {
  return records.map((r) =>
    JSON.stringify({
      poller,
      t: r.atMs,
      client: r.client ?? null,
      job: r.jobId ?? (r.route !== undefined && POLL_ROUTES.has(r.route) ? r.path.split('/').pop() : null),
      route: r.route ?? null,
      status: r.status,
      rejectedBy: r.rejectedBy ?? null,
      remainingRequests: r.remainingRequests ?? null,
      remainingTokens: r.remainingTokens ?? null,
    }),
  );
}
