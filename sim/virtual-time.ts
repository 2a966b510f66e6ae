import { type Clock as FakeClock, withGlobal } from '@sinonjs/fake-timers';
import { type Clock, clockFromTimers, type TimerHost } from '../src/core/clock.ts';
import { formatHumanDuration } from '../src/core/duration.ts';
import { MAX_TIMER_DELAY_MS, TimerQueue } from './timer-queue.ts';

/**
 * The timers the SDK transport fakes on `globalThis`: the SDK's retry sleeps and request timeouts use
 * the global `setTimeout`. `queueMicrotask`, `nextTick` and `setImmediate` stay real: fetch body parsing
 * needs real microtasks (msw runbook; fake-timers fakes them by default), and the driver needs a real
 * macrotask to know the process is idle.
 */
export const GLOBAL_TO_FAKE = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;

/** Why a virtual-time run stopped without finishing. */
export class SimulationStopped extends Error {
  override readonly name = 'SimulationStopped';
  readonly reason: 'horizon' | 'event-budget' | 'stalled';
  /** The virtual time at which it stopped. @unit milliseconds */
  readonly atMs: number;
  constructor(reason: 'horizon' | 'event-budget' | 'stalled', message: string, atMs: number) {
    super(message);
    this.reason = reason;
    this.atMs = atMs;
  }
}

/** Limits of one run. */
export interface RunLimits {
  /** Virtual time at which the run is cut. @unit milliseconds @defaultValue 30 days */
  readonly horizonMs?: number | undefined;
  /** Largest number of timer events. @defaultValue 10_000_000 */
  readonly maxEvents?: number | undefined;
  /** Called on every timer event with the new time (progress, cut-offs). */
  readonly onAdvance?: ((nowMs: number) => void) | undefined;
}

// Captured at load: the driver's own heartbeat must never be faked.
const realSetImmediate = globalThis.setImmediate;
const turn = () => new Promise<void>((resolve) => realSetImmediate(resolve));
/** Events between the isolated clock's real macrotask turns (so timers, I/O and signals still get one). */
const REAL_TURN_EVERY = 1024;

/** What the driver needs of a set of virtual timers. */
interface Timers extends TimerHost {
  /** Timers pending. */
  count(): number;
  /**
   * Moves to the earliest timer and fires every timer due at that instant, unless it is due after
   * `limitMs`: then the time moves to `limitMs` and nothing fires.
   * @returns 0 when nothing fired (the limit was reached), else a positive count
   */
  fireNext(limitMs: number): number;
}

/** The SDK transport's timers: fake-timers installed on the globals. */
function fakeTimers(fake: FakeClock): Timers {
  return {
    now: () => fake.now,
    setTimeout: (cb, ms) => fake.setTimeout(cb, ms),
    clearTimeout: (id) => fake.clearTimeout(id as never),
    count: () => fake.countTimers(),
    fireNext(limitMs) {
      // fake-timers cannot tell when its next timer is due, so a timer set for the limit stands guard: set
      // after every timer due then, it fires only once those have, and ends the step at the limit. No
      // timer can be due more than the longest delay from now (a longer one is cut to 1 ms).
      const delay = limitMs - fake.now;
      let reached = false;
      const guard =
        delay > MAX_TIMER_DELAY_MS
          ? undefined
          : fake.setTimeout(() => {
              reached = true;
            }, delay);
      fake.next();
      if (reached) return 0;
      if (guard !== undefined) fake.clearTimeout(guard);
      fake.tick(0);
      return 1;
    },
  };
}

/**
 * Virtual time. Time moves only when the process is idle: the driver lets every pending promise run and
 * only then fires the next timer, together with every other timer due at that same instant. Nothing
 * waits in real time. The SDK transport runs on @sinonjs/fake-timers installed on the globals (the SDK
 * calls `setTimeout` itself) and settles with real macrotask turns; the fast transport runs on a private
 * {@link TimerQueue} with the same ordering rules and settles by draining the microtask queue.
 */
export class VirtualTime {
  /** The time port for the mock and the pollers. */
  readonly clock: Clock;
  private readonly timers: Timers;
  private readonly uninstall: (() => void) | undefined;
  /** Nothing patched: only the simulator's own promise chains run. */
  private readonly isolated: boolean;
  private readonly turnsToSettle: number;
  /** Timer events fired so far. */
  events = 0;
  /** Callbacks waiting for the end of the current instant: run once everything in flight has settled. */
  private endOfInstant: (() => void)[] = [];

  private constructor(timers: Timers, uninstall: (() => void) | undefined) {
    this.timers = timers;
    this.uninstall = uninstall;
    this.isolated = uninstall === undefined;
    // Isolated: one real macrotask drains every promise chain. Installed: the SDK and fetch internals
    // may take several turns, so wait until the timers settle.
    this.turnsToSettle = this.isolated ? 0 : 2;
    const clock = clockFromTimers(timers);
    this.clock = {
      now: clock.now,
      sleep: clock.sleep,
      atEndOfInstant: (callback) => {
        this.endOfInstant.push(callback);
      },
    };
  }

  /** A private clock that patches nothing: the fast transport's. Starts at `startMs`. */
  static isolated(startMs = 0): VirtualTime {
    return new VirtualTime(new TimerQueue(startMs), undefined);
  }

  /**
   * A clock installed on `globalThis` with the explicit {@link GLOBAL_TO_FAKE} list, so that the real
   * `openai` SDK's timers run in virtual time too. Call {@link dispose} when done.
   */
  static global(startMs = 0): VirtualTime {
    const fake = withGlobal(globalThis).install({
      now: startMs,
      toFake: [...GLOBAL_TO_FAKE],
      loopLimit: Number.MAX_SAFE_INTEGER,
    });
    return new VirtualTime(fakeTimers(fake), () => (fake as FakeClock & { uninstall(): void }).uninstall());
  }

  get now(): number {
    return this.timers.now();
  }

  /** Timers set and not yet fired or cleared: sleeps, latencies, the SDK's timeouts. */
  get pendingTimers(): number {
    return this.timers.count();
  }

  /**
   * Lets every promise chain in flight finish: real macrotask turns until the timer set is stable. (The
   * isolated clock's driver waits for the microtask queue to drain instead, with a real turn only now
   * and then; see {@link run}.)
   */
  async settle(): Promise<void> {
    let before = -1;
    await turn();
    for (let stable = 0; stable < this.turnsToSettle; ) {
      await turn();
      const count = this.timers.count();
      stable = count === before ? stable + 1 : 0;
      before = count;
    }
  }

  /**
   * Drives virtual time until `done` settles, and returns its value.
   * @throws {@link SimulationStopped} at the horizon, past the event budget, or when nothing is scheduled
   * but `done` is still pending (a deadlock: never a hang).
   */
  async run<T>(done: Promise<T>, limits: RunLimits = {}): Promise<T> {
    // Timers fall on whole milliseconds (delays are truncated), so a run cut within one ends at its start
    // in both transports: fake-timers' clock cannot stand between two.
    const horizon = Math.floor((limits.horizonMs ?? 30 * 86_400_000) + this.now);
    const maxEvents = limits.maxEvents ?? 10_000_000;
    if (this.isolated) return this.runIsolated(done, horizon, maxEvents, limits.onAdvance);
    let finished = false;
    const end = () => {
      finished = true;
    };
    done.then(end, end);
    // Installed on the globals, the SDK's and fetch's own work may pass through real macrotasks: settle
    // with real turns until the timers are stable before every event.
    for (;;) {
      await this.settle();
      if (finished) return done;
      if (this.endInstant()) continue;
      this.fireEvent(horizon, maxEvents, limits.onAdvance);
    }
  }

  /** Runs the callbacks waiting for the end of this instant; whether there were any. */
  private endInstant(): boolean {
    if (this.endOfInstant.length === 0) return false;
    const callbacks = this.endOfInstant;
    this.endOfInstant = [];
    for (const callback of callbacks) callback();
    return true;
  }

  /**
   * Fires the next timer (and every other due at its instant), once everything in flight has settled.
   * @throws {@link SimulationStopped} when nothing is scheduled, past the event budget, or past the horizon
   */
  private fireEvent(horizon: number, maxEvents: number, onAdvance: ((nowMs: number) => void) | undefined) {
    if (this.timers.count() === 0)
      throw new SimulationStopped(
        'stalled',
        `nothing is scheduled at ${this.now} ms but the run has not finished (a client awaits something that never comes)`,
        this.now,
      );
    if (++this.events > maxEvents)
      throw new SimulationStopped(
        'event-budget',
        `event budget of ${maxEvents} timer events exhausted at ${this.now} ms`,
        this.now,
      );
    // Nothing fires past the horizon: a run cut there ends at it, not at whatever was due next.
    if (this.timers.fireNext(horizon) === 0)
      throw new SimulationStopped('horizon', `horizon reached at ${formatHumanDuration(this.now)}`, this.now);
    onAdvance?.(this.now);
  }

  /**
   * {@link run} for the isolated clock. Everything in flight is a promise chain started by a timer, so
   * the next step need only wait for the microtask queue to drain: a step is a `process.nextTick`
   * callback queued from a microtask, which Node runs only once that queue is empty, whatever was
   * queued meanwhile. No promise is made per event (an async loop awaiting a promise per event took a
   * third of the driver's time). A real macrotask turn still comes first (the caller may not be in a
   * microtask), every {@link REAL_TURN_EVERY} events, and before a run is called stalled.
   */
  private runIsolated<T>(
    done: Promise<T>,
    horizon: number,
    maxEvents: number,
    onAdvance: ((nowMs: number) => void) | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let finished = false;
      const end = () => {
        finished = true;
      };
      done.then(end, end);
      let afterRealTurn = false;
      const next = () => queueMicrotask(() => process.nextTick(step));
      const realTurn = () =>
        realSetImmediate(() => {
          afterRealTurn = true;
          next();
        });
      const step = () => {
        try {
          if (finished) return resolve(done);
          if (this.endInstant()) return next();
          if (!afterRealTurn && (this.events % REAL_TURN_EVERY === 0 || this.timers.count() === 0))
            return realTurn();
          afterRealTurn = false;
          this.fireEvent(horizon, maxEvents, onAdvance);
          next();
        } catch (error) {
          reject(error);
        }
      };
      realTurn();
    });
  }

  /** Restores the real globals (no-op for an isolated clock). */
  dispose(): void {
    this.uninstall?.();
  }
}
