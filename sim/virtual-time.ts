import { createClock, type Clock as FakeClock, withGlobal } from '@sinonjs/fake-timers';
import { type Clock, clockFromTimers } from '../src/core/clock.ts';

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
  constructor(reason: 'horizon' | 'event-budget' | 'stalled', message: string) {
    super(message);
    this.reason = reason;
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

/**
 * Virtual time on @sinonjs/fake-timers. Time moves only when the process is idle: the driver lets every
 * pending promise run (a real macrotask turn) and only then fires the next timer, together with every
 * other timer due at that same instant. Nothing waits in real time.
 */
export class VirtualTime {
  /** The time port for the mock and the pollers. */
  readonly clock: Clock;
  readonly fake: FakeClock;
  private readonly installed: boolean;
  private readonly turnsToSettle: number;
  /** Timer events fired so far. */
  events = 0;

  private constructor(fake: FakeClock, installed: boolean) {
    this.fake = fake;
    this.installed = installed;
    // Isolated: only the simulator's own promise chains run, and one real macrotask drains them all.
    // Installed: the SDK and fetch internals may take several turns, so wait until the timers settle.
    this.turnsToSettle = installed ? 2 : 0;
    this.clock = clockFromTimers({
      now: () => fake.now,
      setTimeout: (cb, ms) => fake.setTimeout(cb, ms),
      clearTimeout: (id) => fake.clearTimeout(id as never),
    });
  }

  /** A private clock that patches nothing: the fast transport's. Starts at `startMs`. */
  static isolated(startMs = 0): VirtualTime {
    return new VirtualTime(createClock(startMs, Number.MAX_SAFE_INTEGER), false);
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
    return new VirtualTime(fake, true);
  }

  get now(): number {
    return this.fake.now;
  }

  /** Lets every promise chain in flight finish: real macrotask turns until the timer set is stable. */
  async settle(): Promise<void> {
    let before = -1;
    await turn();
    for (let stable = 0; stable < this.turnsToSettle; ) {
      await turn();
      const count = this.fake.countTimers();
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
    const horizon = (limits.horizonMs ?? 30 * 86_400_000) + this.fake.now;
    const maxEvents = limits.maxEvents ?? 10_000_000;
    let finished = false;
    done.then(
      () => {
        finished = true;
      },
      () => {
        finished = true;
      },
    );
    for (;;) {
      await this.settle();
      if (finished) return done;
      if (this.fake.countTimers() === 0) {
        throw new SimulationStopped(
          'stalled',
          `nothing is scheduled at ${this.fake.now} ms but the run has not finished (a client awaits something that never comes)`,
        );
      }
      if (++this.events > maxEvents)
        throw new SimulationStopped(
          'event-budget',
          `event budget of ${maxEvents} timer events exhausted at ${this.fake.now} ms`,
        );
      this.fake.next();
      if (this.fake.now > horizon)
        throw new SimulationStopped('horizon', `horizon reached at ${this.fake.now} ms`);
      this.fake.tick(0);
      limits.onAdvance?.(this.fake.now);
    }
  }

  /** Restores the real globals (no-op for an isolated clock). */
  dispose(): void {
    if (this.installed) (this.fake as FakeClock & { uninstall(): void }).uninstall();
  }
}
