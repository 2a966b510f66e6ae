import fc from 'fast-check';

/**
 * One fast-check seed per test file, printed so any failure can be replayed: `FC_SEED=<seed> npm test`.
 * (fast-check also prints the seed and path of a failing property.)
 */
const fromEnv = process.env.FC_SEED;
const seed = fromEnv === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(fromEnv);
fc.configureGlobal({ seed, numRuns: Number(process.env.FC_NUM_RUNS ?? 100) });
(globalThis as { __fcSeed?: number }).__fcSeed = seed;
