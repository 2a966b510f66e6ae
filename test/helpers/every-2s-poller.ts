import { TERMINAL } from '../../src/client/api-client.ts';
import { registerPoller } from '../../src/pollers/registry.ts';

/**
 * Registers a poller that polls every 2 s, running `beforePoll` first each time. Test helpers of a
 * user's own pollers: the seed-study tests hand them to worker threads, which import them natively
 * (outside vitest), so they import the sources by path.
 */
export function registerEvery2s(
  name: string,
  summary: string,
  beforePoll: () => void = () => undefined,
): void {
  registerPoller(name, {
    summary,
    params: {},
    factory: (ctx, params) => ({
      name,
      params,
      maxRetries: 2,
      gapMs: 0,
      send: (request) => ctx.client.send(request),
      async waitFor(target) {
        let body = target.initial;
        while (!TERMINAL[target.kind].has(body.status)) {
          beforePoll();
          await ctx.clock.sleep(2_000);
          body = (await ctx.client.send<typeof body>(target.retrieve)).data;
        }
        return body;
      },
    }),
  });
}

registerEvery2s('test-every-2s', 'polls every 2 s');
