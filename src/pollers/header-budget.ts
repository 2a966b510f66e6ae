import type { HeaderReader } from '../client/api-client.ts';
import { parseGoDuration } from '../core/duration.ts';

/** A request sent, until an estimate reflects it. */
interface Sent {
  readonly seq: number;
  /** When it was sent. @unit milliseconds */
  readonly atMs: number;
  readonly tokens: number;
  counted: boolean;
  answered: boolean;
}

interface Estimate {
  readonly limit: number;
  readonly remaining: number;
  readonly resetMs: number;
  /** When the server counted the request these values answer (receipt − processing time). */
  readonly atMs: number;
  /** The newest send when the estimate was installed; later sends are not in it. */
  readonly lastSeq: number;
  /** Requests in flight when it was installed: the server may have counted them after. */
  readonly outstanding: readonly Sent[];
}

/**
 * A client's estimate of its remaining budget, from the `x-ratelimit-*` headers of every answer:
 * level(t) = remaining + refill since the server counted that answer − what may not be in it yet
 * (requests in flight then, and every request sent since, each when it was sent). Refill is continuous at limit/60 s when the
 * headers say so (`reset = (limit − remaining)·60 s/limit`); when they do not (a windowed limiter), the
 * budget is taken to come back only at `reset`, and then at the start of each minute after it (limits are
 * per minute), less what was sent since that start. The estimate comes from the answer the server counted
 * last, not the one sent last: servers (and networks) may reorder simultaneous requests. A request
 * whose answer carries no rate-limit headers is taken not to count, and so is its route from then on.
 * With several processes declared, each counts on its part of the level, less a reserve for what the
 * others may have sent unseen (see {@link HeaderBudget.processes}).
 */
export class HeaderBudget {
  private requests: Estimate | undefined;
  private tokens: Estimate | undefined;
  private seq = 0;
  private ledger: Sent[] = [];
  private windowed = false;
  private readonly routeCounts = new Map<string, boolean>();
  /** Routes an answer has shown to be limited: it carried rate-limit headers, or was a 429. */
  private readonly limitedRoutes = new Set<string>();
  /**
   * How many consumers this client assumes share its budget (≥ 1). Its owner sets where it starts and
   * rests (`adaptive`'s `clients`, the processes a program declares), and raises it on 429s the headers
   * did not predict (other processes on the same organization), decaying back while none come.
   */
  share = 1;
  /**
   * How many processes of the program are declared to share the budget (`adaptive`'s `clients`), as
   * against {@link share}, which 429s also raise. Each of them keeps back what the others may spend in
   * one round trip (see {@link reserve}).
   */
  processes = 1;
  /** A moving average of the time from a send to its answer. @unit milliseconds */
  private roundTripMs = 0;

  /**
   * Records a send; returns the ticket to pass back to {@link onAnswer}.
   * @param nowMs when it is sent
   */
  onSend(route: string, tokens: number, nowMs: number): Sent {
    const sent: Sent = {
      seq: ++this.seq,
      atMs: nowMs,
      tokens,
      counted: this.routeCounts.get(route) !== false,
      answered: false,
    };
    this.ledger.push(sent);
    return sent;
  }

  /**
   * Learns from an answer's headers (success or error). The values are dated at receipt minus
   * `openai-processing-ms`: never earlier than the server's count, since network time only adds.
   * @returns whether the answer carried rate-limit headers
   */
  onAnswer(route: string, ticket: Sent, headers: HeaderReader, nowMs: number, status: number): boolean {
    ticket.answered = true;
    const roundTrip = nowMs - ticket.atMs;
    this.roundTripMs = this.roundTripMs === 0 ? roundTrip : 0.9 * this.roundTripMs + 0.1 * roundTrip;
    const processing = Number(headers.get('openai-processing-ms'));
    const countedAt = Number.isFinite(processing) && processing > 0 ? nowMs - processing : nowMs;
    const requests = this.read(headers, 'requests', countedAt, ticket);
    const tokens = this.read(headers, 'tokens', countedAt, ticket);
    const counted = requests !== undefined || tokens !== undefined || status === 429;
    this.routeCounts.set(route, counted);
    if (counted) this.limitedRoutes.add(route);
    ticket.counted = counted;
    if (requests !== undefined && newer(requests, this.requests)) {
      this.requests = requests;
      if (!isContinuous(requests)) this.windowed = true;
    }
    if (tokens !== undefined && newer(tokens, this.tokens)) this.tokens = tokens;
    // Sends older than both estimates are in them, or in their outstanding lists; keep the unanswered
    // ones anyway, since a later estimate must count them as outstanding too.
    const oldest = Math.min(this.requests?.lastSeq ?? 0, this.tokens?.lastSeq ?? 0);
    if (oldest > 0 && this.ledger.length > 64 && (this.ledger[0] as Sent).seq <= oldest) {
      this.ledger = this.ledger.filter((s) => s.seq > oldest || !s.answered);
    }
    return requests !== undefined || tokens !== undefined;
  }

  /**
   * A request that got no answer because it never went out (or was abandoned on the way, its signal
   * aborted): it costs nothing in any estimate. A ticket left unanswered instead would count as in
   * flight for ever, one slot less each time.
   */
  withdraw(ticket: Sent): void {
    ticket.answered = true;
    ticket.counted = false;
  }

  /** False for a route learned not to count against the limits. */
  counts(route: string): boolean {
    return this.routeCounts.get(route) !== false;
  }

  /**
   * False until an answer of `route` shows a limit (rate-limit headers, or a 429). A route learned not to
   * count after it did (a server that sends headers on none of its answers, only 429s) stays limited.
   */
  hasShownLimit(route: string): boolean {
    return this.limitedRoutes.has(route);
  }

  /** True once any answer carried rate-limit headers. */
  get informed(): boolean {
    return this.requests !== undefined || this.tokens !== undefined;
  }

  /** The token limit the headers announce, if any. */
  get tokenLimit(): number | undefined {
    return this.tokens?.limit;
  }

  /** The request limit the headers announce, if any. */
  get requestLimit(): number | undefined {
    return this.requests?.limit;
  }

  /** Time until a request of `tokens` on `route` fits the estimated budget. @unit milliseconds */
  waitMs(nowMs: number, route: string, tokens: number): number {
    if (this.routeCounts.get(route) === false) return 0;
    return Math.max(
      this.waitOne(this.requests, nowMs, 1, 'requests'),
      this.waitOne(this.tokens, nowMs, tokens, 'tokens'),
    );
  }

  /**
   * How full the budget is estimated to be, as the smaller of the request and token levels over their
   * limits (this client's share of them): 1 when nothing is known, 0 when empty.
   */
  fill(nowMs: number): number {
    let fill = 1;
    for (const [estimate, kind] of [
      [this.requests, 'requests'],
      [this.tokens, 'tokens'],
    ] as const) {
      if (estimate === undefined) continue;
      fill = Math.min(fill, Math.max(0, this.level(estimate, nowMs, kind) / (estimate.limit / this.share)));
    }
    return fill;
  }

  /**
   * The estimated level of one budget now: what was left, less what may not be counted in it yet. A
   * continuous bucket is replayed from the answer on: each request since takes its cost when it was
   * sent, and the bucket refills in between, never above its limit. Subtracting them all from a level
   * already refilled to the limit would count a request sent minutes ago against today's budget, for
   * ever when no new headers come (429s that carry none).
   */
  private level(estimate: Estimate, nowMs: number, kind: 'requests' | 'tokens'): number {
    // A request larger than the whole budget takes at most all of it (the server refuses it anyway): its
    // estimate must not hold the next requests back for minutes past a full refill.
    const cost = (s: Sent) =>
      s.counted ? (kind === 'requests' ? 1 : Math.min(s.tokens, estimate.limit)) : 0;
    if (this.windowed) {
      const start = windowStart(estimate, nowMs);
      if (start === undefined) {
        let since = 0;
        for (const sent of estimate.outstanding) since += cost(sent);
        for (const sent of this.ledger) if (sent.seq > estimate.lastSeq) since += cost(sent);
        return estimate.remaining / this.share - since;
      }
      // A new window: what was sent before it is forgotten. At least one request a window is this
      // client's, however many others are assumed to share it, or it would wait for ever.
      let sinceStart = 0;
      for (const sent of this.ledger) if (sent.atMs >= start) sinceStart += cost(sent);
      return Math.max(1, estimate.limit / this.share) - sinceStart;
    }
    const rate = this.refillRate(estimate);
    // Requests in flight when the answer came may be counted after it: taken as spent at once.
    let level = estimate.remaining / this.share;
    for (const sent of estimate.outstanding) level -= cost(sent);
    let at = estimate.atMs;
    for (const sent of this.ledger) {
      if (sent.seq <= estimate.lastSeq) continue;
      const t = Math.max(at, sent.atMs);
      level = Math.min(estimate.limit, level + (t - at) * rate) - cost(sent);
      at = t;
    }
    return Math.min(estimate.limit, level + Math.max(0, nowMs - at) * rate) - this.reserve(estimate);
  }

  /**
   * What the other declared processes may have spent, at their part of the refill, in one round trip:
   * each process dates its newest estimate to the server's count, and the others' requests counted
   * since reach it only with later answers. Shares taken from estimates of different ages then add up to
   * more than the bucket holds, by a few requests, once it runs dry (8 processes at tier 2: 7 429s a run,
   * more as latency grows and none at 1 ms), so each keeps this much back. 0 for a single process, and
   * for shares learned from 429s, whose reserve would hold back a program that does not know its peers.
   * At most half of this process's part of the limit, however slow its answers (a synchronous response
   * can take minutes), so that a request always fits a full budget.
   */
  private reserve(estimate: Estimate): number {
    const others = (this.processes - 1) / this.processes;
    const part = estimate.limit / this.processes;
    return Math.min(others * (estimate.limit / MINUTE_MS) * this.roundTripMs, part / 2);
  }

  /** With others on the bucket, this client counts on only its share of what is left and refills. */
  private refillRate(estimate: Estimate): number {
    return estimate.limit / MINUTE_MS / this.share;
  }

  private waitOne(
    estimate: Estimate | undefined,
    nowMs: number,
    need: number,
    kind: 'requests' | 'tokens',
  ): number {
    if (estimate === undefined || need <= 0) return 0;
    // A request larger than the whole budget never fits: it waits for a full budget and goes, and the
    // server's answer (429 "Request too large", never retried: facts §3) ends it, rather than a wait
    // for ever.
    need = Math.min(
      need,
      this.windowed ? Math.max(1, estimate.limit / this.share) : estimate.limit - this.reserve(estimate),
    );
    const level = this.level(estimate, nowMs, kind);
    if (level >= need) return 0;
    if (this.windowed) {
      const start = windowStart(estimate, nowMs);
      return Math.max(
        1,
        (start === undefined ? estimate.atMs + estimate.resetMs : start + MINUTE_MS) - nowMs,
      );
    }
    return (need - level) / this.refillRate(estimate);
  }

  private read(
    headers: HeaderReader,
    kind: 'requests' | 'tokens',
    atMs: number,
    ticket: Sent,
  ): Estimate | undefined {
    const limit = Number(headers.get(`x-ratelimit-limit-${kind}`));
    const remaining = Number(headers.get(`x-ratelimit-remaining-${kind}`));
    const resetMs = parseGoDuration(headers.get(`x-ratelimit-reset-${kind}`) ?? '');
    if (!(limit > 0) || !Number.isFinite(remaining) || resetMs === undefined) return undefined;
    const outstanding = this.ledger.filter((s) => !s.answered && s !== ticket);
    return { limit, remaining, resetMs, atMs, lastSeq: this.seq, outstanding };
  }
}

const MINUTE_MS = 60_000;

/**
 * Where the window that holds `nowMs` started, for a windowed limiter: the reset the headers announced,
 * then a minute after each; `undefined` before that reset (the announced window still runs).
 */
function windowStart(estimate: Estimate, nowMs: number): number | undefined {
  const reset = estimate.atMs + estimate.resetMs;
  if (nowMs < reset) return undefined;
  return reset + Math.floor((nowMs - reset) / MINUTE_MS) * MINUTE_MS;
}

/** The server counted `candidate` after `current` (or at the same instant, with less left). */
function newer(candidate: Estimate, current: Estimate | undefined): boolean {
  if (current === undefined) return true;
  return (
    candidate.atMs > current.atMs ||
    (candidate.atMs === current.atMs && candidate.remaining <= current.remaining)
  );
}

/** Headers of a continuous bucket satisfy reset = (limit − remaining)·60 s/limit (to the truncated ms). */
function isContinuous(estimate: Estimate): boolean {
  return Math.abs(estimate.resetMs - ((estimate.limit - estimate.remaining) * 60_000) / estimate.limit) <= 2;
}
