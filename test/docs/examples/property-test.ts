import fc from 'fast-check';
import { parsePollerSpec } from 'pollbench';
import { runSimulation, tierPreset } from 'pollbench/sim';

// Does a polling strategy stay clear of 429s on the free tier whatever the job durations? Each run
// simulates the seed program's ten files with a new seed, in virtual time (a few ms each).
await fc.assert(
  fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
    const result = await runSimulation({
      ...tierPreset('free', seed),
      pollers: [parsePollerSpec('adaptive')],
    });
    const adaptive = result.pollers.find((p) => p.name === 'adaptive');
    return adaptive?.metrics.rateLimited === 0 && adaptive.metrics.jobs.abandoned === 0;
  }),
  { numRuns: 20 },
);
console.log('adaptive: no 429 and no job abandoned, 20 seeds');
