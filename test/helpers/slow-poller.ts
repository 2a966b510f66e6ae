import { TERMINAL } from '../../src/client/api-client.ts';
import { registerPoller } from '../../src/pollers/registry.ts';

// A poller that is slow but moves: before each poll it blocks its thread for 150 ms of real time (as a
// heavy computation would), then sleeps in virtual time. The watchdog must not take it for a stuck one.
const blocker = new Int32Array(new SharedArrayBuffer(4));
registerPoller('test-slow', {
  summary: 'blocks its thread 150 ms before each poll',
  params: {},
  factory: (ctx, params) => ({
    name: 'test-slow',
    params,
    maxRetries: 2,
    gapMs: 0,
    send: (request) => ctx.client.send(request),
    async waitFor(target) {
      let body = target.initial;
      while (!TERMINAL[target.kind].has(body.status)) {
        Atomics.wait(blocker, 0, 0, 150);
        await ctx.clock.sleep(2_000);
        body = (await ctx.client.send<typeof body>(target.retrieve)).data;
      }
      return body;
    },
  }),
});
