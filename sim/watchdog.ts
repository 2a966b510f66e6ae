/**
 * A real-time watch on a simulation in another thread: the one place in `sim/` besides the virtual-time
 * driver that uses real time, and only to stop a thread, never to shape a result. A poller that awaits
 * only promises (never a timer, never a request) keeps its thread's microtask queue from ever emptying,
 * so nothing in that thread runs again, not even the driver; only another thread can tell, and stop it.
 *
 * The simulating thread counts beats in a shared array on every virtual-time event and on a real-time
 * interval (so that a slow but moving poller is never taken for a stuck one); the watching thread checks
 * that the count moves while the other says it is simulating.
 */

// Captured at load: the sdk transport fakes the global timers of a thread while it simulates there.
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

/** How often the simulating thread beats, and the watching thread checks. @unit milliseconds */
const PERIOD_MS = 250;

/** A shared array of two counters: [beats, simulating (1) or not (0)]. */
export function heartbeatBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** The simulating thread's side: beats on a real-time interval from now on, and on every `beat()`. */
export function heartbeat(buffer: SharedArrayBuffer): {
  /** One beat (pass it as `runSimulation`'s `onEvent`). */
  readonly beat: () => void;
  /** Says whether a simulation runs: the watch counts stillness only while one does. */
  readonly simulating: (on: boolean) => void;
} {
  const cells = new Int32Array(buffer);
  const beat = () => {
    Atomics.add(cells, 0, 1);
  };
  realSetInterval(beat, PERIOD_MS).unref();
  return { beat, simulating: (on) => Atomics.store(cells, 1, on ? 1 : 0) };
}

/**
 * The watching thread's side: calls `onStall` once if the beats stand still for `stallMs` of real time
 * while the other thread simulates.
 * @returns a function that stops the watch
 */
export function watchHeartbeat(buffer: SharedArrayBuffer, stallMs: number, onStall: () => void): () => void {
  const cells = new Int32Array(buffer);
  let last = Atomics.load(cells, 0);
  let stillFor = 0;
  const timer = realSetInterval(() => {
    const beats = Atomics.load(cells, 0);
    stillFor = beats !== last || Atomics.load(cells, 1) !== 1 ? 0 : stillFor + PERIOD_MS;
    last = beats;
    if (stillFor < stallMs) return;
    realClearInterval(timer);
    onStall();
  }, PERIOD_MS);
  timer.unref();
  return () => realClearInterval(timer);
}
