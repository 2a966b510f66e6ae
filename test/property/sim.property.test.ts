import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { simulationArbitrary, simulationArgsArbitrary } from '../../sim/arbitraries.ts';
import { runSimulation, type SimulationResult } from '../../sim/engine.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { fcSeed } from '../helpers/seed.ts';

// The same arbitrary users get (`pollbench/arbitraries`): a failure prints the sim command that replays it.
const FLOWS = ['assistants', 'responses', 'vector-store'] as const;
// All six tiers.
const config = simulationArbitrary({ flows: FLOWS, queueMaxMs: 3_000, durationMaxMs: 40_000 });
const withFaults = simulationArbitrary({
  flows: FLOWS,
  faults: true,
  headers: true,
  algorithms: ['token-bucket', 'fixed-window', 'sliding-window'],
});

/**
 * Every job of every poller ends completed, failed or abandoned, and its requests are all counted: in
 * the totals, and, with several clients, in the client that sent them.
 */
function noneLost(result: SimulationResult, jobs: number): void {
  const clients = result.config.workload.clients;
  for (const run of result.pollers) {
    const byClient = run.metrics.byClient ?? [];
    expect(byClient, run.name).toHaveLength(clients > 1 ? clients : 0);
    if (clients > 1) {
      const sum = (f: (c: (typeof byClient)[number]) => number) => byClient.reduce((a, c) => a + f(c), 0);
      expect(
        sum((c) => c.requests),
        run.name,
      ).toBe(run.metrics.requests);
      expect(
        sum((c) => c.rateLimited),
        run.name,
      ).toBe(run.metrics.rateLimited);
      expect(
        sum((c) => c.jobs.completed + c.jobs.failed + c.jobs.abandoned),
        run.name,
      ).toBe(jobs);
    }
    const { completed, failed, abandoned } = run.metrics.jobs;
    expect(completed + failed + abandoned, run.name).toBe(jobs);
    expect(run.outcomes, run.name).toHaveLength(jobs);
    expect(run.metrics.wastedRequests, run.name).toBeLessThanOrEqual(run.metrics.requests);
    const byStatus = Object.values(run.metrics.requestsByRoute).flatMap((statuses) =>
      Object.values(statuses),
    );
    expect(
      byStatus.reduce((a, b) => a + b, 0),
      run.name,
    ).toBe(run.metrics.requests);
  }
}

/** No poller that finished every job sent fewer requests than the oracle, which polls each job once. */
function oracleUnbeatenOnRequests(result: SimulationResult): void {
  const oracle = result.pollers.find((p) => p.name === 'oracle');
  for (const run of result.pollers)
    if (run.metrics.jobs.abandoned === 0)
      expect(run.metrics.requests, run.name).toBeGreaterThanOrEqual(oracle?.metrics.requests ?? 0);
}

describe(`simulation properties (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.prop([config], { numRuns: 25 })(
    'every job ends completed, failed or abandoned; the oracle is never beaten; adaptive stays under the limits alone',
    async (cfg) => {
      const result = await runSimulation(cfg);
      const oracle = result.pollers.find((p) => p.name === 'oracle');
      expect(oracle?.metrics.rateLimited).toBe(0);
      expect(oracle?.metrics.jobs.abandoned).toBe(0);
      noneLost(result, cfg.workload.jobs * cfg.workload.clients);
      for (const run of result.pollers) {
        if (run.metrics.jobs.abandoned === 0 && oracle !== undefined) {
          expect(run.metrics.requests, run.name).toBeGreaterThanOrEqual(oracle.metrics.requests);
          // The oracle serves its waiting requests creates first, then first come, first served: with
          // several workers or uncoordinated clients competing for the budget that greedy order is not a
          // global optimum, so the makespan bound is claimed for one worker of one client (the request
          // bound always holds).
          if (cfg.workload.clients === 1 && cfg.workload.workers === 1) {
            expect(run.metrics.makespanMs, run.name).toBeGreaterThanOrEqual(oracle.metrics.makespanMs);
          }
        }
        if (run.name === 'adaptive' && cfg.workload.clients === 1) expect(run.metrics.rateLimited).toBe(0);
      }
    },
  );

  // Copies of a program, each told how many run: the flags of the study with `adaptive:clients=N` for
  // the N drawn (a failure prints them: `npm run sim -- …` replays it). At most three, the free tier's
  // RPM: more copies than the bucket holds requests send more first requests, before any header comes
  // back, than it can take (README, Known limits).
  const toldClients = simulationArgsArbitrary({
    flows: FLOWS,
    clients: { min: 2, max: 3 },
    jobs: { min: 1, max: 20 },
    workers: { min: 1, max: 10 },
    pollers: ['oracle'],
  }).map((args) => [...args, '--poller', `adaptive:clients=${args[args.indexOf('--clients') + 1]}`]);
  test.prop([toldClients], { numRuns: 40 })(
    'copies of adaptive told how many share the organization get no rate-limit 429 and abandon no job',
    async (args) => {
      const cfg = configFromArgs(args);
      const result = await runSimulation(cfg);
      noneLost(result, cfg.workload.jobs * cfg.workload.clients);
      const adaptive = result.pollers.find((p) => p.name === 'adaptive');
      expect(adaptive?.metrics.rateLimited).toBe(0);
      expect(adaptive?.metrics.jobs.abandoned).toBe(0);
    },
  );

  test.prop([withFaults], { numRuns: 15 })(
    'under 5xx faults, latency spikes, missing headers and every limiter algorithm, no job is lost, and adaptive abandons none',
    async (cfg) => {
      const result = await runSimulation(cfg);
      noneLost(result, cfg.workload.jobs * cfg.workload.clients);
      const adaptive = result.pollers.find((p) => p.name === 'adaptive');
      expect(adaptive?.metrics.jobs.abandoned).toBe(0);
    },
  );

  // The Python SDK's rules (1 s helper polls, no retry past a 120 s retry-after) under the same faults.
  const python = simulationArbitrary({
    flows: [...FLOWS, 'batch'],
    faults: true,
    headers: true,
    pollers: ['fixed:interval=2s,lang=python', 'sdk:lang=python', 'oracle'],
  });
  test.prop([python], { numRuns: 10 })(
    "with the Python SDK's rules, under faults: no job is lost, and the oracle is never beaten on requests",
    async (cfg) => {
      const result = await runSimulation(cfg);
      noneLost(result, cfg.workload.jobs * cfg.workload.clients);
      oracleUnbeatenOnRequests(result);
    },
  );

  // Prompts of 50,000 to 250,000 tokens: larger than some tiers' whole TPM budget for some models (the
  // server answers "Request too large"), within it for others.
  const largePrompts = simulationArbitrary({ flows: FLOWS, promptChars: { min: 200_000 } });
  test.prop([largePrompts], { numRuns: 12 })(
    'with prompts up to the largest a study takes: every run ends before its horizon, no job lost, the oracle never beaten on requests',
    async (study) => {
      const result = await runSimulation(study);
      noneLost(result, study.workload.jobs * study.workload.clients);
      for (const run of result.pollers) expect(run.stopped, run.name).toBeNull();
      oracleUnbeatenOnRequests(result);
    },
  );
});
