import { registerPoller, TERMINAL } from 'pollbench';

// A poller of your own: the module registers it, and the simulator (or `sim --import`) runs it.
registerPoller('every-3s', {
  summary: 'poll every 3 s, with the SDK’s retries',
  params: { interval: { kind: 'duration', default: 3000, doc: 'sleep before each poll' } },
  factory: (ctx, params) => ({
    name: 'every-3s',
    params,
    maxRetries: 2, // the SDK's own retries for this client
    gapMs: 0, // pause after each job
    send: (request) => ctx.client.send(request), // every request of the workload passes here
    async waitFor(target) {
      let body = target.initial;
      while (!TERMINAL[target.kind].has(body.status)) {
        await ctx.clock.sleep(params.interval as number); // time only through ctx.clock
        body = (await ctx.client.send<typeof body>(target.retrieve)).data;
      }
      return body;
    },
  }),
});
