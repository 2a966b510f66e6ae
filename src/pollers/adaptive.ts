import {
  ApiCallError,
  type CallResult,
  type HeaderReader,
  isRetryableRateLimit,
  type JobBody,
  TERMINAL,
} from '../client/api-client.ts';
import type { ApiRequest } from '../client/api-request.ts';
import type { SdkLang } from '../client/sdk-rules.ts';
import { WaitQueue } from '../core/wait-queue.ts';
import { isTransient } from './backoff.ts';
import { DurationModel } from './duration-model.ts';
import { HeaderBudget } from './header-budget.ts';
import { backoffDelay } from './jitter.ts';
import { PerSecondGuard, type QuantizedMode } from './per-second-guard.ts';
import type { Poller, PollerFactory, PollTarget } from './poller.ts';

/**
 * `adaptive`: paces all of a client's requests to the budget the `x-ratelimit-*` headers announce
 * (shared by its concurrent jobs), waits `retry-after-ms` / `retry-after` plus jitter after a 429 (exact
 * obedience re-synchronises clients), follows `openai-poll-after-ms` when the server sends it (within
 * `min` and `max`), and learns job durations to poll where completions are likely. Without headers it
 * falls back to the 429 hints, then to one slot of the tier's published RPM, then to full-jitter
 * backoff; 429s without headers that keep coming for one request widen its wait each time. After a 429
 * its headers did not predict (a quantized or windowed server), it also spaces requests evenly.
 * Per-second enforcement, which no header announces, is guarded against from the start
 * (`quantized=yes`), tested for once (`auto`), or ignored (`no`). With `clients=N`, one of N processes
 * of a program that share the organization's limits: it counts on 1/N of every budget from the first
 * request, since the headers count every process's requests but say nothing of how many there are.
 */
export const adaptivePoller: PollerFactory = (ctx, params): Poller => {
  // Processes of the program that share the organization's limits: nothing in the headers tells them
  // apart, so each counts on its part of the budget from the start, never less.
  const clients = params.clients as number;
  const budget = new HeaderBudget();
  budget.share = clients;
  budget.processes = clients;
  const durations = new Map<string, DurationModel>();
  /** Jobs this client is waiting for, oldest first. */
  const waiting: PollTarget[] = [];
  const minInterval = params.min as number;
  const maxInterval = params.max as number;
  let smoothing = false;
  // Per-second enforcement is documented as possible but never announced in headers (facts §4).
  const perSecond = new PerSecondGuard<Ticket>(
    params.quantized as QuantizedMode,
    (now, limit) => budget.fill(now) * (limit / budget.share),
  );
  let lastSend = Number.NEGATIVE_INFINITY;
  /** Requests in flight sent before any rate-limit header was seen. */
  let probing = 0;

  /** A request slot: how long the budget takes to refill one request. @unit milliseconds */
  const slotMs = () => (budget.requestLimit === undefined ? 0 : 60_000 / budget.requestLimit);
  /** This client's slot: how long its part of the budget (one of `clients`) takes to refill a request. */
  const ownSlotMs = () => slotMs() * clients;

  /**
   * What a poll is worth where no budget prices it, its route having never shown a limit (no rate-limit
   * header, no 429: a batch's polls, in the mock): one request slot of the tier's published RPM, else
   * `initial`. At zero such a poll would be free, and a batch polled every `min` for as long as it ran
   * (2,644 polls a batch on the free tier). A route that did show a limit without headers (only 429s)
   * keeps the budget's price, zero: its 429s say when to come back. @unit milliseconds
   */
  const unpricedMs = () => {
    const rpm = ctx.publishedLimits?.rpm;
    return rpm !== undefined && rpm > 0 ? 60_000 / rpm : (params.initial as number);
  };

  const waitFor = ({ route, tokens }: { route: string; tokens: number }) => {
    const now = ctx.clock.now();
    let wait = budget.waitMs(now, route, tokens);
    const limit = budget.requestLimit;
    if (!budget.counts(route)) return wait;
    // Nothing known yet: send one request and learn the limit from its answer before any burst.
    if (limit === undefined) return probing > 0 ? 1 : wait;
    wait = Math.max(wait, perSecond.waitMs(now, limit, budget.tokenLimit, tokens, queue.length));
    return smoothing ? Math.max(wait, lastSend + ownSlotMs() - now) : wait;
  };
  // Requests wait for the budget in a queue where only the head sleeps. When slots are scarce the most
  // valuable request goes first: work that starts or finishes a job (priority 1), then polls ranked by
  // the chance their job is already done, so speculative polls only use the slack.
  const queue = new WaitQueue(ctx.clock, waitFor, ({ route }) => budget.counts(route));
  /**
   * Waits until the budget has room, then reserves it in the same synchronous step: concurrent jobs
   * woken at the same instant must not all see the same free slot.
   */
  const paceAndReserve = (route: string, tokens: number, priority: () => number) =>
    queue.enter(
      { route, tokens },
      () => {
        lastSend = ctx.clock.now();
        // Whether headers were known when it left, not when it joined the queue: a request queued
        // before the first answer but sent after it was paced by them.
        const uninformed = !budget.informed;
        if (uninformed) probing++;
        const ticket = budget.onSend(route, tokens, lastSend);
        if (budget.counts(route)) perSecond.onSend(lastSend, tokens, ticket);
        return { ticket, uninformed };
      },
      priority,
      ctx.signal?.(),
    );
  const certain = () => 1;

  /**
   * What a poll that finds the job still running costs, in milliseconds of detection delay (the
   * shadow price of a request). At least one budget slot (or `pollCost`); at most one slot of every job
   * waiting, which is what a request costs when the budget binds: it pushes each of them back a slot.
   * In between it is read off the budget now: a slot per request already queued for it (each new one
   * waits behind them), and the share of the bucket already spent, so that a full bucket is spent on
   * polls gradually rather than in one burst that leaves the next minute short.
   */
  const price = (now: number, route: string): number => {
    if (!budget.hasShownLimit(route)) return Math.max(params.pollCost as number, unpricedMs());
    const slot = ownSlotMs();
    const floor = Math.max(params.pollCost as number, slot);
    const ceiling = Math.max(floor, slot * Math.max(1, waiting.length));
    const pressure = Math.max(slot * (queue.length + 1), ceiling * (1 - budget.fill(now)));
    return clamp(pressure, floor, ceiling);
  };

  /**
   * The wait after a transient error. `attempt`: after a rate-limit 429, the number of the try it
   * answered; after any other failure, how many of those this request has had (so its backoff starts
   * from the base however many 429s came before). `limitedInARow` counts this request's rate-limit
   * 429s in a row: from the second, the wait spreads over a window that doubles each time, since obeying
   * the hint again evidently collides with others who obey it too (and a 429 that counts spends the
   * budget it waits for). Little's law: spreading M synchronised clients needs a window of M slots, and M is unknown
   * (strategy anchors: jitter window; dapr#5872: max(policy delay, Retry-After)).
   */
  const retryDelay = (
    error: ApiCallError,
    attempt: number,
    limitedInARow: number,
    withHeaders: boolean,
  ): number => {
    // A 429 with x-ratelimit-* headers updates the budget and the share, which spread the retries
    // already; one without them says nothing more than its hint.
    const widen = (wait: number) =>
      limitedInARow < 2 || withHeaders
        ? 0
        : ctx.random.next() * wait * (2 ** Math.min(limitedInARow - 1, 5) - 1);
    const hintMs = Number.parseFloat(error.headers.get('retry-after-ms') ?? '');
    const hintS = Number.parseFloat(error.headers.get('retry-after') ?? '');
    const hint = Number.isFinite(hintMs) ? hintMs : Number.isFinite(hintS) ? hintS * 1000 : undefined;
    // Everyone who obeys the same hint exactly comes back at the same instant: spread the retries, over
    // a whole budget slot per consumer once others are known to share the bucket.
    if (hint !== undefined) {
      const spread =
        budget.share > 1
          ? slotMs() * budget.share
          : Math.min(params.jitterCap as number, hint * (params.jitter as number));
      return hint + ctx.random.next() * spread + widen(hint);
    }
    const fromHeaders = budget.informed ? budget.waitMs(ctx.clock.now(), 'retry', 0) : 0;
    if (fromHeaders > 0)
      return fromHeaders * (1 + ctx.random.next() * (params.jitter as number)) + widen(fromHeaders);
    // A 429 that says nothing (no headers, no hint): the tier's published request rate is the best
    // guess of when a request comes back, one slot; widened as above while they keep coming.
    const published = ctx.publishedLimits?.rpm;
    if (limitedInARow > 0 && published !== undefined && published > 0) {
      const slot = 60_000 / published;
      return slot * (1 + ctx.random.next() * (params.jitter as number)) + widen(slot);
    }
    const shape = { baseMs: 1000, factor: 2, capMs: 60_000, jitter: 'full' as const };
    return backoffDelay(shape, attempt - 1, 1000, ctx.random) + 1000;
  };

  async function send<T>(
    request: ApiRequest,
    tokens = 0,
    priority: () => number = certain,
  ): Promise<CallResult<T>> {
    let limitedInARow = 0;
    /** Failures other than rate-limit 429s: what `attempts` bounds. */
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      const { ticket, uninformed } = await paceAndReserve(request.route, tokens, priority);
      try {
        const result = await ctx.client.send<T>(request).finally(() => {
          if (uninformed && probing > 0) probing--;
        });
        budget.onAnswer(request.route, ticket, result.headers, ctx.clock.now(), 200);
        budget.share = Math.max(clients, budget.share - 0.02);
        perSecond.onAccepted(ticket);
        return result;
      } catch (error) {
        if (!(error instanceof ApiCallError)) {
          // No answer at all (the program aborted the wait): nothing to learn, nothing spent, and no
          // test burst left waiting for it.
          budget.withdraw(ticket);
          perSecond.onFailed(ticket, false);
          throw error;
        }
        // Requests go out only when the estimate says there is room, so a 429 while informed is one the
        // headers did not predict.
        const predicted = !uninformed;
        const withHeaders = budget.onAnswer(
          request.route,
          ticket,
          error.headers,
          ctx.clock.now(),
          error.status,
        );
        // A rate-limit 429 is transient by definition and says when to come back: it does not use up
        // `attempts` (which bounds 5xx and timeouts), up to a hard ceiling against livelock.
        // Counted apart from the attempts: a 500 after ten 429s once ended a job at once.
        const limited = isRetryableRateLimit(error);
        limitedInARow = limited ? limitedInARow + 1 : 0;
        if (!limited) failures++;
        const unpredicted = error.status === 429 && predicted;
        // Told before giving up, so that a test burst is never left waiting for this answer. A 429 in
        // it is the test's answer, and says nothing about sharing.
        const tested = perSecond.onFailed(ticket, unpredicted);
        if (!isTransient(error) || failures >= (params.attempts as number) || attempt >= 100) throw error;
        // A 429 the headers said could not happen: someone else shares the bucket, or the server
        // enforces something finer than the minute. Count on a smaller share, and smooth out.
        if (unpredicted && !tested) {
          budget.share = Math.min(16 * clients, budget.share + 1);
          smoothing = true;
        }
        await ctx.clock.sleep(retryDelay(error, limited ? attempt : failures, limitedInARow, withHeaders));
      }
    }
  }

  const modelFor = (kind: string) => {
    let model = durations.get(kind);
    if (model === undefined) {
      model = new DurationModel();
      durations.set(kind, model);
    }
    return model;
  };

  const nextDelay = (target: PollTarget, hint: number | undefined): number => {
    // The server's hint, within the gaps the user allows: a header of any size (a timer delay past
    // 2³¹ − 1 ms fires after 1 ms in Node) or sign must not make it poll in a tight loop, nor wait longer
    // than `max` says.
    if (hint !== undefined) return clamp(hint, minInterval, maxInterval);
    const now = ctx.clock.now();
    const elapsed = now - target.createdAtMs;
    // The ages of the other running jobs, as censored observations. A sample of at most 64 keeps this
    // O(1) per decision with thousands of jobs in flight (every k-th, oldest first).
    const running: number[] = [];
    const every = Math.max(1, Math.floor(waiting.length / 64));
    for (let i = 0; i < waiting.length; i += every) {
      const job = waiting[i] as PollTarget;
      if (job !== target && job.kind === target.kind) running.push(now - job.createdAtMs);
    }
    // Oldest first is longest first: reversed, the ages are ascending and need no sort.
    running.reverse();
    // A poll cannot go out before the budget allows it: plan from that moment on.
    const earliest = Math.max(minInterval, budget.waitMs(now, target.retrieve.route, 0));
    const cost = price(now, target.retrieve.route);
    const model = modelFor(target.kind);
    const plan = model.planPoll(elapsed, cost, earliest, running, every);
    // Where observations are sparse (the tail) the estimate has mass only at the observed durations, and
    // the best poll would jump from one to the next. Between them, take the time left as exponential
    // with the mean the estimate gives (the job's age once it outlived them all): polling every τ then
    // costs cost·mean/τ + τ/2 per completion, least at τ = √(2·cost·mean). The age alone, used here
    // before, made a young job poll within its first seconds while the learned durations said it could
    // not be done yet (27 such polls at tier-1's seed).
    const between = Math.max(earliest, Math.sqrt(2 * cost * (plan?.remainingMs ?? elapsed)));
    if (plan !== undefined) return clamp(Math.min(plan.delayMs, between), minInterval, maxInterval);
    // The job outlived every observation, or nothing is learned yet: poll after a fraction of its age
    // (so polls space out geometrically), sooner when polls are cheap (once something is learned), at
    // least `initial`, and never more often than this job's fair share of the budget (one slot per job
    // waiting).
    const share = ownSlotMs() * Math.max(1, waiting.length);
    if (model.ready)
      return clamp(
        Math.max(share, Math.min(elapsed * (params.tail as number), between)),
        minInterval,
        maxInterval,
      );
    return clamp(
      Math.max(params.initial as number, elapsed * (params.tail as number), share),
      minInterval,
      maxInterval,
    );
  };

  return {
    name: 'adaptive',
    params,
    maxRetries: params.retries as number,
    lang: params.lang as SdkLang,
    gapMs: 0,
    send,
    async waitFor(target) {
      let body: JobBody = target.initial;
      let headers: HeaderReader | undefined;
      let lastRunningAt = target.createdAtMs;
      const model = modelFor(target.kind);
      // Evaluated for every waiting poll each time a budget slot frees up: keep it to one lookup.
      const done = () => model.doneProbability(ctx.clock.now() - target.createdAtMs);
      waiting.push(target);
      try {
        while (!TERMINAL[target.kind].has(body.status)) {
          lastRunningAt = ctx.clock.now();
          const hinted = Number.parseInt(headers?.get('openai-poll-after-ms') ?? '', 10);
          await ctx.clock.sleep(Math.ceil(nextDelay(target, Number.isNaN(hinted) ? undefined : hinted)));
          const result = await send<JobBody>(target.retrieve, 0, done);
          body = result.data;
          headers = result.headers;
        }
      } finally {
        waiting.splice(waiting.indexOf(target), 1);
      }
      model.add(observedDuration(body, target.createdAtMs, lastRunningAt, ctx.clock.now()));
      return body;
    },
  };
};

/** What {@link HeaderBudget.onSend} hands back for a request sent. */
type Ticket = ReturnType<HeaderBudget['onSend']>;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * How long the job ran: from its own timestamps when the API gives them (second resolution, so the
 * middle of the second), else the middle of the interval in which it finished.
 */
function observedDuration(
  body: JobBody,
  createdAtMs: number,
  lastRunningAt: number,
  sawDoneAt: number,
): number {
  const end = body.completed_at ?? body.failed_at;
  if (typeof end === 'number' && typeof body.created_at === 'number')
    return (end - body.created_at) * 1000 + 500;
  return (lastRunningAt + sawDoneAt) / 2 - createdAtMs;
}
