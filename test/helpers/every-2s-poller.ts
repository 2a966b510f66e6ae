import { TERMINAL } from '../../src/client/api-client.ts';
import { registerPoller } from '../../src/pollers/registry.ts';

// A poller of a user's own, registered by loading this module: the seed-study tests hand it to worker
// threads, which import it natively (outside vitest), so it imports the sources by path.
registerPoller('test-every-2s', {
  summary: 'polls every 2 s',
  params: {},
  factory: (ctx, params) => ({
    name: 'test-every-2s',
    params,
    maxRetries: 2,
    gapMs: 0,
    send: (request) => ctx.client.send(request),
    async waitFor(target) {
      let body = target.initial;
      while (!TERMINAL[target.kind].has(body.status)) {
        await ctx.clock.sleep(2_000);
        body = (await ctx.client.send<typeof body>(target.retrieve)).data;
      }
      return body;
    },
  }),
});
