import { registerPoller } from '../../src/pollers/registry.ts';

// A poller that never yields to the simulator: it awaits only promises, so its thread's microtask queue
// never empties. The watchdog tests run it in worker threads (importing this module natively), where the
// calling thread can stop it; in this thread it would hang the test.
registerPoller('test-spin', {
  summary: 'awaits only promises, for ever',
  params: {},
  factory: (ctx, params) => ({
    name: 'test-spin',
    params,
    maxRetries: 2,
    gapMs: 0,
    send: (request) => ctx.client.send(request),
    async waitFor(target) {
      for (;;) {
        await Promise.resolve();
        if (target.id === '') return target.initial; // never: keeps the loop from looking endless
      }
    },
  }),
});
