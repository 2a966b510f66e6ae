import type { Clock } from '../core/clock.ts';

// How one poller, shared by every job of a program, stops for one job when the program aborts it
// (attachPoller's `signal`), without disturbing the others.

/**
 * `clock`, whose sleeps begun while the current job's signal is live end, early and quietly, when it
 * aborts: the job's chain wakes, and its next request is refused. A sleep begun after the abort runs its
 * course. That is what the strategy's shared machinery needs: a queue's pump that happened to start in
 * an aborted job's context wakes once, re-checks the budget and sleeps again, never in a tight loop.
 */
export function abortableSleeps(clock: Clock, current: () => AbortSignal | undefined): Clock {
  return {
    now: () => clock.now(),
    sleep(ms, signal) {
      const job = current();
      if (job === undefined || job.aborted) return clock.sleep(ms, signal);
      return clock.sleep(ms, signal === undefined ? job : AbortSignal.any([signal, job])).catch((error) => {
        if (job.aborted && signal?.aborted !== true) return;
        throw error;
      });
    },
    ...(clock.atEndOfInstant === undefined
      ? {}
      : { atEndOfInstant: (callback: () => void) => clock.atEndOfInstant?.(callback) }),
  };
}

/**
 * `work`, or the signal's reason as soon as it aborts. The strategy's own chain then ends at its next
 * request, which the client refuses; what it throws then is nobody's to catch.
 */
export function untilAborted<T>(signal: AbortSignal | undefined, work: Promise<T>): Promise<T> {
  if (signal === undefined) return work;
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
