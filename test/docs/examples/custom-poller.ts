import { parsePollerSpec, registerPoller, TERMINAL } from 'pollbench';
import { runSimulation, tierPreset } from 'pollbench/sim';

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

// Compared like the built-in ones (the oracle is added as the reference): the same seeded durations.
const result = await runSimulation({
  ...tierPreset('1', 1),
  pollers: [parsePollerSpec('every-3s:interval=5s'), parsePollerSpec('adaptive')],
});
for (const { name, metrics } of result.pollers)
  console.log(
    `${name}: ${metrics.requests} requests, ${metrics.rateLimited} 429s, efficiency ${metrics.efficiency}`,
  );
