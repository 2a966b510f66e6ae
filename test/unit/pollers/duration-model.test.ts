import { describe, expect, test } from 'vitest';
import { DurationModel } from '../../../src/pollers/duration-model.ts';

const model = (...samples: number[]) => {
  const m = new DurationModel();
  for (const s of samples) m.add(s);
  return m;
};

describe('DurationModel.bestDelay (Kaplan–Meier + the renewal ratio rule)', () => {
  test('says nothing before it has enough samples, or once a job outlived them all', () => {
    expect(model(1000, 2000).bestDelay(0, 1000, 100)).toBeUndefined();
    expect(model(1000, 2000, 3000).bestDelay(5000, 1000, 100)).toBeUndefined();
  });

  test('a costly poll waits until most jobs are done; a cheap one polls early', () => {
    const durations = model(...Array.from({ length: 20 }, (_, i) => 5_000 + i * 1_000)); // 5 s … 24 s
    const cheap = durations.bestDelay(0, 100, 100) as number;
    const dear = durations.bestDelay(0, 60_000, 100) as number;
    expect(cheap).toBeLessThan(dear);
    expect(dear).toBeGreaterThanOrEqual(20_000);
  });

  test('never below the minimum delay', () => {
    expect(model(10, 20, 30, 40).bestDelay(0, 1, 5_000)).toBeGreaterThanOrEqual(5_000);
  });

  test('jobs still running (censored) push the estimate later', () => {
    const durations = model(2_000, 3_000, 4_000);
    const without = durations.bestDelay(1_000, 5_000, 100) as number;
    const withRunning = durations.bestDelay(
      1_000,
      5_000,
      100,
      Array.from({ length: 30 }, () => 3_500),
    ) as number;
    expect(withRunning).toBeGreaterThanOrEqual(without);
  });
});
