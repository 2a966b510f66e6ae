/**
 * The best trade-off any poller can make between polls per job and detection delay when it knows how
 * job durations are distributed but not when each job ends: for each price `c` of a poll (in
 * milliseconds of delay), the poll schedule by job age that minimises `delay + c × polls`, found by
 * dynamic programming over a grid. The schedules that minimise it for some `c` trace the lower convex
 * hull of what any age-based schedule achieves (strategy-anchors §3.2, the inspection-scheduling
 * trade-off), so no such poller has fewer polls per job at a smaller mean delay.
 */
export interface FrontierPoint {
  /** The price of a poll this schedule minimises for. @unit milliseconds */
  readonly costMs: number;
  /** Polls per job, the one that sees the end included. */
  readonly polls: number;
  /** Mean time from a job's end to the poll that sees it. @unit milliseconds */
  readonly delayMs: number;
}

/**
 * @param durationsMs - draws of a job's duration, from its creation to its end
 * @param costsMs - the prices of a poll to solve for
 * @param stepMs - the grid: polls are placed at its multiples (a finer one only lowers the delays)
 */
export function pollFrontier(
  durationsMs: readonly number[],
  costsMs: readonly number[],
  stepMs = 100,
): FrontierPoint[] {
  const sorted = Float64Array.from(durationsMs).sort();
  const n = Math.ceil((sorted[sorted.length - 1] as number) / stepMs) + 1;
  // cdf[i] = P(T ≤ i·step), partial[i] = E[T; T ≤ i·step], from the draws.
  const cdf = new Float64Array(n + 1);
  const partial = new Float64Array(n + 1);
  let k = 0;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    while (k < sorted.length && (sorted[k] as number) <= i * stepMs) sum += sorted[k++] as number;
    cdf[i] = k / sorted.length;
    partial[i] = sum / sorted.length;
  }
  // The delay a poll at grid point j adds for the jobs that ended since the poll at i.
  const delay = (i: number, j: number) =>
    ((cdf[j] as number) - (cdf[i] as number)) * j * stepMs -
    ((partial[j] as number) - (partial[i] as number));
  return costsMs.map((costMs) => {
    const value = new Float64Array(n + 1);
    const next = new Int32Array(n + 1).fill(n);
    for (let i = n - 1; i >= 0; i--) {
      // A poll at j is made only by the jobs still running after the poll at i.
      const pollCost = costMs * (1 - (cdf[i] as number));
      let best = Number.POSITIVE_INFINITY;
      for (let j = i + 1; j <= n; j++) {
        const candidate = pollCost + delay(i, j) + (value[j] as number);
        if (candidate < best) {
          best = candidate;
          next[i] = j;
        }
      }
      value[i] = best;
    }
    let polls = 0;
    let delayMs = 0;
    for (let i = 0; i < n; i = next[i] as number) {
      polls += 1 - (cdf[i] as number);
      delayMs += delay(i, next[i] as number);
    }
    return { costMs, polls, delayMs };
  });
}
