import { describe, expect, test } from 'vitest';
import { pollFrontier } from '../helpers/poll-frontier.ts';

// The bound test/sim/burst-bound.test.ts compares adaptive with is only as good as this solver.
describe('pollFrontier', () => {
  test('jobs that all take 10 s are seen with one poll at 10 s, whatever a poll costs', () => {
    for (const point of pollFrontier([10_000, 10_000, 10_000], [1, 1_000, 100_000])) {
      expect(point.polls).toBeCloseTo(1);
      expect(point.delayMs).toBeCloseTo(0);
    }
  });

  test('two equally likely durations: a cheap poll pays to catch the short jobs, a dear one does not', () => {
    const durations = [1_000, 11_000];
    const [cheap, dear] = pollFrontier(durations, [100, 20_000]);
    // Poll at 1 s, then at 11 s for the half still running: 1.5 polls, no delay.
    expect(cheap?.polls).toBeCloseTo(1.5);
    expect(cheap?.delayMs).toBeCloseTo(0);
    // One poll at 11 s: the short jobs are seen 10 s late, 5 s on average; 5 s < 0.5 × 20 s.
    expect(dear?.polls).toBeCloseTo(1);
    expect(dear?.delayMs).toBeCloseTo(5_000);
  });

  test('a dearer poll buys fewer polls at a longer delay, never both better', () => {
    const durations = Array.from({ length: 500 }, (_, i) => 2_000 + ((i * 7_919) % 30_000));
    const points = pollFrontier(durations, [200, 1_000, 5_000, 20_000]);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]?.polls).toBeLessThanOrEqual(points[i - 1]?.polls ?? 0);
      expect(points[i]?.delayMs).toBeGreaterThanOrEqual(points[i - 1]?.delayMs ?? 0);
    }
  });
});
