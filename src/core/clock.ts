/**
 * The time port. Everything in `src/` and `sim/` that needs the time or a delay takes a {@link Clock};
 * only {@link systemClock} (the wall clock, used by `npm run serve`) and the simulator's virtual clock
 * touch real timers.
 */
export interface Clock {
  /** Current time. @unit milliseconds since the Unix epoch (virtual clocks may start at 0). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of this clock's time; rejects with the signal's reason if it aborts.
   * A negative or NaN `ms` is 0; `Infinity` never resolves (a simulation stops it at its horizon). Any
   * finite delay is kept, beyond the 2³¹ − 1 ms a single timer can hold too.
   * @unit milliseconds
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Runs `callback` once every promise chain in flight has settled, before time moves on or any other
   * timer fires. Only a virtual clock's driver can tell when that is; where absent, a zero-delay
   * {@link sleep} is the nearest approximation. @defaultValue absent
   */
  atEndOfInstant?(callback: () => void): void;
}

/** A clock over any object with `Date`-like `now()` and `setTimeout`/`clearTimeout` (fake-timers clocks fit). */
export interface TimerHost {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The longest delay one timer holds. @unit milliseconds */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Adapts a {@link TimerHost} (a `@sinonjs/fake-timers` clock, or the real globals) to a {@link Clock}. */
export function clockFromTimers(host: TimerHost): Clock {
  const sleepOnce = (ms: number, signal: AbortSignal | undefined): Promise<void> => {
    // Without a signal (nearly every sleep of a simulation), no abort listener and no wrapper: the timer
    // resolves the promise itself.
    if (signal === undefined)
      return new Promise<void>((resolve) => host.setTimeout(resolve, Math.max(0, ms)));
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        host.clearTimeout(id);
        reject(signal?.reason);
      };
      const id = host.setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
  // Timers (Node's and fake-timers' alike) turn a delay over 2³¹ − 1 ms into 1 ms: a sleep of a month
  // would end at once, and a poller that computed one from a header would poll in a tight loop. Longer
  // sleeps are a chain of the longest timer.
  const sleepLong = async (ms: number, signal: AbortSignal | undefined): Promise<void> => {
    let left = ms;
    for (; left > MAX_TIMER_MS; left -= MAX_TIMER_MS) await sleepOnce(MAX_TIMER_MS, signal);
    await sleepOnce(left, signal);
  };
  return {
    now: () => host.now(),
    sleep: (ms, signal) => (ms > MAX_TIMER_MS ? sleepLong(ms, signal) : sleepOnce(ms, signal)),
  };
}

/** The wall clock. The one place in the library allowed to read real time. */
export const systemClock: Clock = clockFromTimers({
  now: () => Date.now(),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
});
