import fc from 'fast-check';
import { simulationArbitrary } from 'pollbench/arbitraries';
import { runSimulation } from 'pollbench/sim';

// Does a polling strategy stay clear of 429s whatever the tier, the flow, the number of jobs and
// workers, the arrivals, the job durations and the seed, when it is the only client? Each study runs
// in virtual time, in milliseconds.
await fc.assert(
  fc.asyncProperty(simulationArbitrary({ pollers: ['adaptive'], clients: { max: 1 } }), async (config) => {
    const { pollers } = await runSimulation(config);
    const adaptive = pollers.find((p) => p.name === 'adaptive');
    return adaptive?.metrics.rateLimited === 0 && adaptive.metrics.jobs.abandoned === 0;
  }),
  { numRuns: 50 },
);
console.log('adaptive: no 429 and no job abandoned, 50 studies');
