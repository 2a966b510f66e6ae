import { describe, expect, test } from 'vitest';
import { DurationModel } from '../../../src/pollers/duration-model.ts';

const model = (...samples: number[]) => {
  const m = new DurationModel();
  for (const s of samples) m.add(s);
  return m;
};

describe('DurationModel.planPoll (Kaplan–Meier + the renewal ratio rule)', () => {
  test('says nothing before it has enough samples, or once a job outlived them all', () => {
    expect(model(1000, 2000).planPoll(0, 1000, 100)).toBeUndefined();
    expect(model(1000, 2000, 3000).planPoll(5000, 1000, 100)).toBeUndefined();
  });

  test('a costly poll waits until most jobs are done; a cheap one polls early', () => {
    const durations = model(...Array.from({ length: 20 }, (_, i) => 5_000 + i * 1_000)); // 5 s … 24 s
    const cheap = durations.planPoll(0, 100, 100)?.delayMs as number;
    const dear = durations.planPoll(0, 60_000, 100)?.delayMs as number;
    expect(cheap).toBeLessThan(dear);
    expect(dear).toBeGreaterThanOrEqual(20_000);
  });

  test('never below the minimum delay', () => {
    expect(model(10, 20, 30, 40).planPoll(0, 1, 5_000)?.delayMs).toBeGreaterThanOrEqual(5_000);
  });

  test('jobs still running (censored) push the estimate later', () => {
    const durations = model(2_000, 3_000, 4_000);
    const without = durations.planPoll(1_000, 5_000, 100)?.delayMs as number;
    const withRunning = durations.planPoll(
      1_000,
      5_000,
      100,
      Array.from({ length: 30 }, () => 3_500),
    )?.delayMs as number;
    expect(withRunning).toBeGreaterThanOrEqual(without);
  });

  test('the ages of running jobs may come in any order', () => {
    const durations = model(2_000, 3_000, 4_000, 9_000, 12_000);
    const ascending = [500, 2_500, 2_500, 3_500, 8_000, 10_000];
    const plan = durations.planPoll(1_000, 2_000, 100, ascending);
    // Different enough from the plan without them that a wrong order would show.
    expect(plan).not.toEqual(durations.planPoll(1_000, 2_000, 100));
    expect(durations.planPoll(1_000, 2_000, 100, [...ascending].reverse())).toEqual(plan);
    expect(durations.planPoll(1_000, 2_000, 100, [3_500, 500, 10_000, 2_500, 8_000, 2_500])).toEqual(plan);
  });

  test('the mean time left is that of the observed jobs longer than the age', () => {
    const durations = model(...Array.from({ length: 11 }, (_, i) => 10_000 + i * 1_000)); // 10 s … 20 s
    // A young job is expected to run the mean of all of them, not as long again as its age.
    expect(durations.planPoll(500, 1_000, 100)?.remainingMs).toBeCloseTo(15_000 - 500, 6);
    // At 15.5 s only 16 … 20 s remain possible: 18 s on average.
    expect(durations.planPoll(15_500, 1_000, 100)?.remainingMs).toBeCloseTo(18_000 - 15_500, 6);
  });
});
