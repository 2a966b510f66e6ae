/** How a client treats possible per-second enforcement: see {@link PerSecondGuard}. */
export type QuantizedMode = 'yes' | 'auto' | 'no';

/**
 * Keeps a client's requests (and tokens) within limit/60 in any second. Per-minute limits "may be
 * enforced over shorter periods (e.g. 60,000 requests/minute may be enforced as 1,000 requests/second)"
 * (help article 6891753, facts §4), and no header announces it. `yes` guards from the start, `no`
 * never. `auto` guards until it has tested the server (see {@link waitMs}), and lifts the guard if the
 * server took the test; in `auto`, a 429 the headers did not predict puts the guard back for good.
 *
 * `T` is whatever identifies a request sent (the caller's ticket).
 */
export class PerSecondGuard<T> {
  private state: 'strict' | 'testing' | 'off';
  private readonly mode: QuantizedMode;
  /** Counted sends of the last second, oldest first. */
  private readonly recent: { readonly at: number; readonly tokens: number }[] = [];
  /** The test burst being sent (at `at`) or awaited (`awaiting`: the tickets not yet answered). */
  private test: { at: number; size: number; sent: T[]; awaiting?: Set<T> } | undefined;
  /** Test bursts that may still be tried: one that cannot go out whole is inconclusive. */
  private testsLeft = 3;
  private readonly room: (now: number, limit: number) => number;

  /**
   * @param room - how many requests the minute budget has room for now, given its limit: asked only
   *   when a test burst could start
   */
  constructor(mode: QuantizedMode, room: (now: number, limit: number) => number) {
    this.mode = mode;
    this.room = room;
    this.state = mode === 'yes' ? 'strict' : mode === 'auto' ? 'testing' : 'off';
  }

  /** Whether the guard holds requests to the second (false once lifted, or with `no`). */
  get active(): boolean {
    return this.state !== 'off';
  }

  /**
   * Time until a counted request of `tokens` keeps the last second within limit/60 requests and
   * tokens. While testing, the same, except for one test: once more requests wait than a second's share
   * allows (`waiting`, the requests queued for the budget), the minute budget has room for them and
   * the last second is clear, a share plus one go out in
   * the same instant. A server that enforces the second refuses at least one of them; one that does
   * not lets them all through, and the guard is lifted. Spread over the second, the same requests
   * would prove nothing: a per-second bucket refills between them. Their tokens are not held to the
   * second's share (requests that carry tokens would rarely let the burst go out whole), so a server
   * that also enforces tokens per second may refuse a few more.
   * @param limit - requests per minute the headers announce
   * @param tokenLimit - tokens per minute the headers announce, if any
   * @returns @unit milliseconds
   */
  waitMs(
    now: number,
    limit: number,
    tokenLimit: number | undefined,
    tokens: number,
    waiting: number,
  ): number {
    const recent = this.recent;
    while (recent.length > 0 && (recent[0] as { at: number }).at <= now - 1000) recent.shift();
    if (this.state === 'off') return 0;
    if (this.state === 'testing') {
      const test = this.test;
      if (test?.at === now && test.sent.length < test.size) return 0;
      const size = secondShare(limit) + 1;
      if (
        this.testsLeft > 0 &&
        test?.awaiting === undefined &&
        waiting >= size &&
        this.room(now, limit) >= size
      ) {
        const last = recent[recent.length - 1];
        if (last !== undefined && last.at > now - 1000) return last.at + 1000 - now;
        this.testsLeft--;
        this.test = { at: now, size, sent: [] };
        return 0;
      }
    }
    let wait = 0;
    const perSecond = secondShare(limit);
    if (recent.length >= perSecond)
      wait = (recent[recent.length - perSecond] as { at: number }).at + 1000 - now;
    if (tokenLimit !== undefined && tokens > 0) {
      // The same for tokens: walk back until the last second's tokens plus these fit a 1 s slice.
      const slice = Math.max(tokens, tokenLimit / 60);
      let used = tokens;
      for (let i = recent.length - 1; i >= 0; i--) {
        const entry = recent[i] as { at: number; tokens: number };
        used += entry.tokens;
        if (used > slice) return Math.max(wait, entry.at + 1000 - now);
      }
    }
    return wait;
  }

  /** Records a request sent that counts against the limits. */
  onSend(now: number, tokens: number, ticket: T): void {
    this.recent.push({ at: now, tokens });
    const test = this.test;
    if (this.state === 'testing' && test?.at === now && test.sent.length < test.size) {
      test.sent.push(ticket);
      if (test.sent.length === test.size) test.awaiting = new Set(test.sent);
    }
  }

  /** An answer that was not an error: when the whole test burst got through, the guard is lifted. */
  onAccepted(ticket: T): void {
    if (this.test?.awaiting?.delete(ticket) && this.test.awaiting.size === 0 && this.state === 'testing')
      this.state = 'off';
  }

  /**
   * An error answer. `unpredicted`: a rate-limit 429 the headers said could not happen; in `auto` it
   * puts the guard on for good. Any other error in the test burst leaves the test undecided.
   * @returns whether the request was part of the test burst (its 429 is then the test's answer)
   */
  onFailed(ticket: T, unpredicted: boolean): boolean {
    const tested = this.test?.awaiting?.has(ticket) === true;
    if (unpredicted && this.mode === 'auto') this.state = 'strict';
    if (tested && this.state === 'testing') this.test = undefined;
    return tested;
  }
}

/** The requests a per-minute `limit` allows in one second if it is also enforced per second. */
export function secondShare(limit: number): number {
  return Math.max(1, Math.floor(limit / 60));
}
