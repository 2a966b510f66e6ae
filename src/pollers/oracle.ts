import { TERMINAL } from '../client/api-client.ts';
import type { ApiRequest } from '../client/api-request.ts';
import { isTransient } from './backoff.ts';
import { type Poller, type PollerFactory, sendWithPolicy } from './poller.ts';

/** Retries of one request before the oracle gives up on it (only random faults can use them up). */
const MAX_ATTEMPTS = 100;

/**
 * `oracle`: the lower bound. It knows when each job completes, and its transport holds every request
 * at the server until the limiter would admit it (so it never gets a 429 and never waits longer than
 * the budget requires; held requests that create work go before polls). It polls each job at most
 * once, as soon as it is done. It also knows the server's scheduled outages: it sends nothing into one,
 * and retries a request that met a random fault at once, so it finishes every job any poller can. Every
 * other poller's efficiency is measured against it.
 */
export const oraclePoller: PollerFactory = (ctx, params): Poller => {
  const oracle = ctx.oracle;
  if (oracle === undefined) throw new Error('the oracle poller needs the simulator’s view of the server');
  const outageOver = async () => {
    const now = ctx.clock.now();
    const at = oracle.faultFreeAt(now);
    if (at > now) await ctx.clock.sleep(Math.ceil(at - now));
  };
  const send = <T>(request: ApiRequest) =>
    sendWithPolicy<T>(
      ctx,
      request,
      (error, attempt) => (isTransient(error) && attempt < MAX_ATTEMPTS ? 0 : undefined),
      outageOver,
    );
  return {
    name: 'oracle',
    params,
    maxRetries: 0,
    gapMs: 0,
    send,
    async waitFor(target) {
      // Already terminal when created: there is nothing to poll.
      if (TERMINAL[target.kind].has(target.initial.status)) return target.initial;
      const doneAt = oracle.terminalAt(target.id);
      if (doneAt === undefined) throw new Error(`the oracle does not know job ${target.id}`);
      const wait = Math.ceil(doneAt - ctx.clock.now());
      if (wait > 0) await ctx.clock.sleep(wait);
      return (await send<typeof target.initial>(target.retrieve)).data;
    },
  };
};
