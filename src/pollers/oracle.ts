import { TERMINAL } from '../client/api-client.ts';
import type { Poller, PollerFactory } from './poller.ts';

/**
 * `oracle`: the lower bound. It knows when each job completes, and its transport holds every request
 * at the server until the limiter would admit it (so it never gets a 429 and never waits longer than
 * the budget requires). It polls each job at most once, as soon as it is done. Every other poller's
 * efficiency is measured against it.
 */
export const oraclePoller: PollerFactory = (ctx, params): Poller => {
  const oracle = ctx.oracle;
  if (oracle === undefined) throw new Error('the oracle poller needs the simulator’s view of the server');
  return {
    name: 'oracle',
    params,
    maxRetries: 0,
    gapMs: 0,
    send: (request) => ctx.client.send(request),
    async waitFor(target) {
      // Already terminal when created: there is nothing to poll.
      if (TERMINAL[target.kind].has(target.initial.status)) return target.initial;
      const doneAt = oracle.terminalAt(target.id);
      if (doneAt === undefined) throw new Error(`the oracle does not know job ${target.id}`);
      const wait = Math.ceil(doneAt - ctx.clock.now());
      if (wait > 0) await ctx.clock.sleep(wait);
      return (await ctx.client.send<typeof target.initial>(target.retrieve)).data;
    },
  };
};
