import { registerEvery2s } from './every-2s-poller.ts';

// A poller that is slow but moves: before each poll it blocks its thread for 150 ms of real time (as a
// heavy computation would), then sleeps in virtual time. The watchdog must not take it for a stuck one.
const blocker = new Int32Array(new SharedArrayBuffer(4));
registerEvery2s('test-slow', 'blocks its thread 150 ms before each poll', () => {
  Atomics.wait(blocker, 0, 0, 150);
});
