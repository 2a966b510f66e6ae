import { expect, test } from 'vitest';
import { summarize } from '../../reports/summary.ts';
import { runSimulation } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { smallPreset } from '../helpers/sim-configs.ts';

test('the same seed gives a byte-identical summary', async () => {
  const once = JSON.stringify(summarize(await runSimulation(tierPreset('free', 42))));
  const twice = JSON.stringify(summarize(await runSimulation(tierPreset('free', 42))));
  expect(twice).toBe(once);
});

test('a different seed gives different job durations', async () => {
  const a = JSON.stringify(summarize(await runSimulation(smallPreset('1', 1, { workers: 3, jobs: 6 }))));
  const b = JSON.stringify(summarize(await runSimulation(smallPreset('1', 2, { workers: 3, jobs: 6 }))));
  expect(a).not.toBe(b);
});

test('adding a poller does not change the others (common random numbers)', async () => {
  const base = tierPreset('free', 7);
  const alone = await runSimulation({ ...base, pollers: base.pollers.filter((p) => p.name === 'fixed') });
  const together = await runSimulation(base);
  expect(together.pollers.find((p) => p.name === 'fixed')?.metrics).toEqual(
    alone.pollers.find((p) => p.name === 'fixed')?.metrics,
  );
});

test('onPoller announces each poller as it starts, the oracle first, and changes nothing', async () => {
  const config = smallPreset('1', 1, { workers: 2, jobs: 3 });
  const pollers = [
    { name: 'fixed', params: { interval: 3000 } },
    { name: 'oracle', params: {} },
    { name: 'adaptive', params: {} },
  ];
  const calls: [string, number, number][] = [];
  const watched = await runSimulation({ ...config, pollers }, { onPoller: (...call) => calls.push(call) });
  expect(calls).toEqual([
    ['oracle', 0, 3],
    ['fixed:interval=3s', 1, 3],
    ['adaptive', 2, 3],
  ]);
  const plain = await runSimulation({ ...config, pollers });
  expect(JSON.stringify(summarize(watched))).toBe(JSON.stringify(summarize(plain)));
});
