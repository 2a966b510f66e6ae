import type { HeaderReader } from '../client/api-client.ts';
import { parseGoDuration } from '../core/duration.ts';

interface Estimate {
  readonly limit: number;
  readonly remaining: number;
  readonly resetMs: number;
  /** When the answer carrying these values arrived (conservative: the server counted it earlier). */
  readonly atMs: number;
  /** Sequence number of the request these values answer. */
  readonly seq: number;
}

/** A request sent and not yet known to be uncounted. */
interface Sent {
  readonly seq: number;
  readonly tokens: number;
  counted: boolean;
}

/**
 * A client's estimate of its remaining budget, from the `x-ratelimit-*` headers of every answer:
 * level(t) = remaining + refill since that answer − what was sent after that request. Refill is
 * continuous at limit/60 s when the headers say so (`reset = (limit − remaining)·60 s/limit`); when
 * they do not (a windowed limiter), the budget is taken to come back only at `reset`. A request whose
 * answer carries no rate-limit headers is taken not to count, and so is its route from then on.
 */
export class HeaderBudget {
  private requests: Estimate | undefined;
  private tokens: Estimate | undefined;
  private seq = 0;
  private ledger: Sent[] = [];
  private windowed = false;
  private readonly routeCounts = new Map<string, boolean>();

  /** Records a send; returns the ticket to pass back to {@link onAnswer}. */
  onSend(route: string, tokens: number): Sent {
    const sent: Sent = { seq: ++this.seq, tokens, counted: this.routeCounts.get(route) !== false };
    this.ledger.push(sent);
    return sent;
  }

  /**
   * Learns from an answer's headers (success or error). The values are dated at receipt minus
   * `openai-processing-ms`: never earlier than the server's count, since network time only adds.
   */
  onAnswer(route: string, ticket: Sent, headers: HeaderReader, nowMs: number, status: number): void {
    const processing = Number(headers.get('openai-processing-ms'));
    const countedAt = Number.isFinite(processing) && processing > 0 ? nowMs - processing : nowMs;
    const requests = read(headers, 'requests', countedAt, ticket.seq);
    const tokens = read(headers, 'tokens', countedAt, ticket.seq);
    const counted = requests !== undefined || tokens !== undefined || status === 429;
    this.routeCounts.set(route, counted);
    ticket.counted = counted;
    if (requests !== undefined && (this.requests === undefined || ticket.seq >= this.requests.seq)) {
      this.requests = requests;
      if (!isContinuous(requests)) this.windowed = true;
    }
    if (tokens !== undefined && (this.tokens === undefined || ticket.seq >= this.tokens.seq))
      this.tokens = tokens;
    // Sends older than both estimates are already reflected in them.
    const oldest = Math.min(this.requests?.seq ?? 0, this.tokens?.seq ?? 0);
    if (oldest > 0 && this.ledger.length > 0 && (this.ledger[0] as Sent).seq <= oldest) {
      this.ledger = this.ledger.filter((s) => s.seq > oldest);
    }
  }

  /** False for a route learned not to count against the limits. */
  counts(route: string): boolean {
    return this.routeCounts.get(route) !== false;
  }

  /** True once any answer carried rate-limit headers. */
  get informed(): boolean {
    return this.requests !== undefined || this.tokens !== undefined;
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

  private waitOne(
    estimate: Estimate | undefined,
    nowMs: number,
    need: number,
    kind: 'requests' | 'tokens',
  ): number {
    if (estimate === undefined || need <= 0) return 0;
    let since = 0;
    for (const sent of this.ledger)
      if (sent.seq > estimate.seq && sent.counted) since += kind === 'requests' ? 1 : sent.tokens;
    const elapsed = nowMs - estimate.atMs;
    if (this.windowed) {
      const level = (elapsed >= estimate.resetMs ? estimate.limit : estimate.remaining) - since;
      return level >= need ? 0 : Math.max(1, estimate.resetMs - elapsed);
    }
    const rate = estimate.limit / 60_000;
    const level = Math.min(estimate.limit, estimate.remaining + elapsed * rate) - since;
    return level >= need ? 0 : (need - level) / rate;
  }
}

function read(
  headers: HeaderReader,
  kind: 'requests' | 'tokens',
  nowMs: number,
  seq: number,
): Estimate | undefined {
  const limit = Number(headers.get(`x-ratelimit-limit-${kind}`));
  const remaining = Number(headers.get(`x-ratelimit-remaining-${kind}`));
  const resetMs = parseGoDuration(headers.get(`x-ratelimit-reset-${kind}`) ?? '');
  if (!(limit > 0) || !Number.isFinite(remaining) || resetMs === undefined) return undefined;
  return { limit, remaining, resetMs, atMs: nowMs, seq };
}

/** Headers of a continuous bucket satisfy reset = (limit − remaining)·60 s/limit (to the truncated ms). */
function isContinuous(estimate: Estimate): boolean {
  return Math.abs(estimate.resetMs - ((estimate.limit - estimate.remaining) * 60_000) / estimate.limit) <= 2;
}
