/** Where to poll next, and what the estimate says about the time left. */
export interface PollPlan {
  /** The delay until the best next poll. @unit milliseconds */
  readonly delayMs: number;
  /** The expected time until the job ends, given its age. @unit milliseconds */
  readonly remainingMs: number;
}

/**
 * Job durations a client has observed, to place polls where completions are likely. Keeps the last
 * `capacity` samples (durations drift).
 */
export class DurationModel {
  private readonly samples: number[] = [];
  private readonly sorted: number[] = [];
  private readonly capacity: number;
  /** Samples needed before the model is used. */
  readonly minSamples: number;

  constructor(capacity = 256, minSamples = 3) {
    this.capacity = capacity;
    this.minSamples = minSamples;
  }

  add(durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    this.samples.push(durationMs);
    if (this.samples.length > this.capacity) {
      const dropped = this.samples.shift() as number;
      this.sorted.splice(this.sorted.indexOf(dropped), 1);
    }
    // Binary insertion keeps `sorted` sorted in O(log n) comparisons.
    this.sorted.splice(countAtMost(this.sorted, durationMs), 0, durationMs);
  }

  /** The share of observed jobs that were done after `elapsedMs` (0.5 before there are enough). */
  doneProbability(elapsedMs: number): number {
    if (!this.ready) return 0.5;
    // Strictly below 1 so that work which certainly pays off (priority 1) still goes first.
    return (countAtMost(this.sorted, elapsedMs) / this.sorted.length) * 0.999;
  }

  get ready(): boolean {
    return this.sorted.length >= this.minSamples;
  }

  /**
   * When to poll a job that has run `elapsedMs` and is not known to be done. Picks the poll time x
   * that minimises the expected cost per completion detected,
   * `(costMs + E[x − T; elapsed < T ≤ x]) / P(elapsed < T ≤ x)`, the renewal form of the classic
   * inspection-scheduling trade-off (strategy-anchors §3.2): `costMs` is what one poll costs in
   * milliseconds of detection delay. A myopic one-poll rule would poll at `minMs` whenever polls are
   * cheap; the ratio charges each poll for the completions it can actually catch.
   *
   * The distribution of T is the Kaplan–Meier estimate over the observed durations, with the jobs still
   * running (`censoredMs`, their ages) as censored observations: without them the first samples, which
   * are the shortest jobs, would bias every estimate short. `censoredWeight`: how many running jobs each
   * given age stands for, when only a sample of them is passed. Ascending ages are used as they are; others
   * are sorted first.
   * @returns the delay until x and the mean time left, or `undefined` when the job has outlived every
   *   observation.
   */
  planPoll(
    elapsedMs: number,
    costMs: number,
    minMs: number,
    censoredMs: readonly number[] = [],
    censoredWeight = 1,
  ): PollPlan | undefined {
    if (!this.ready) return undefined;
    const events = this.sorted;
    if ((events[events.length - 1] as number) <= elapsedMs) return undefined;
    // Sorting was the costliest line of an `adaptive` run (--cpu-prof), which passes the ages in order.
    const censored = isAscending(censoredMs) ? censoredMs : Float64Array.from(censoredMs).sort();
    // Kaplan–Meier: the probability mass at each event time, conditioned on T > elapsed. Events are
    // sorted, so the survival at `elapsed` is final before the first event after it: one pass, no
    // allocation per event (this runs for every poll decision).
    let survival = 1;
    let survivalAtElapsed = 1;
    let c = 0;
    let best = Number.POSITIVE_INFINITY;
    let bestDelay: number | undefined;
    let probability = 0;
    let weighted = 0;
    for (let i = 0; i < events.length; i++) {
      const time = events[i] as number;
      while (c < censored.length && (censored[c] as number) < time) c++;
      const atRisk = events.length - i + (censored.length - c) * censoredWeight;
      const next = survival * (1 - 1 / atRisk);
      if (time <= elapsedMs) {
        survivalAtElapsed = next;
      } else {
        if (survivalAtElapsed <= 0) return undefined;
        const mass = survival - next;
        probability += mass / survivalAtElapsed;
        weighted += (time * mass) / survivalAtElapsed;
        const x = Math.max(elapsedMs + minMs, time + 1);
        const ratio = (costMs + x * probability - weighted) / probability;
        if (ratio < best) {
          best = ratio;
          bestDelay = x - elapsedMs;
        }
      }
      survival = next;
    }
    if (bestDelay === undefined) return undefined;
    // The mean time left, over the part of the estimate that is known (jobs still running beyond the
    // last observation put some mass past it, which this leaves out: an underestimate there).
    return { delayMs: bestDelay, remainingMs: weighted / probability - elapsedMs };
  }
}

function isAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[i - 1] as number)) return false;
  return true;
}

/** How many values of ascending `sorted` are ≤ `value` (the index just past them), by binary search. */
function countAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
