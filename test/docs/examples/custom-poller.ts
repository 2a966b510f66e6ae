import { parsePollerSpec } from 'pollbench';
import { runSimulation, tierPreset } from 'pollbench/sim';
import './every-3s.ts';

// Compared like the built-in ones (the oracle is added as the reference): the same seeded durations.
const result = await runSimulation({
  ...tierPreset('1', 1),
  pollers: [parsePollerSpec('every-3s:interval=5s'), parsePollerSpec('adaptive')],
});
for (const { name, metrics } of result.pollers)
  console.log(
    `${name}: ${metrics.requests} requests, ${metrics.rateLimited} 429s, efficiency ${metrics.efficiency}`,
  );
