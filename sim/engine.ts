import type { ApiClient } from '../src/client/api-client.ts';
import { createFastClient } from '../src/client/fast-client.ts';
import { createSdkClient } from '../src/client/sdk-client.ts';
import type { SdkLang } from '../src/client/sdk-rules.ts';
import { formatHumanDuration } from '../src/core/duration.ts';
import { createRandom, type Random } from '../src/core/random.ts';
import {
  formatPollerChoice,
  formatPollerChoices,
  POLLERS,
  type PollerChoice,
  resolvePoller,
} from '../src/pollers/registry.ts';
import { createMockOpenAI, type MockOpenAI } from '../src/server/create-mock-openai.ts';
import type { JobView } from '../src/server/jobs/job.ts';
import { resolveModelLimits } from '../src/server/limits/resolve-model.ts';
import { TIER_TABLES } from '../src/server/limits/tier-tables.ts';
import type { ModelLimits } from '../src/server/limits/types.ts';
import type { MockOpenAIOptions } from '../src/server/mock-options.ts';
import type { RequestRecord } from '../src/server/request-record.ts';
import { simulationConfigProblem } from './config-check.ts';
import { MetricsCollector, type PollerMetrics } from './metrics.ts';
import { SimulationStopped, VirtualTime } from './virtual-time.ts';
import { PollerFailed, WorkloadRun } from './workload-runner.ts';
import { FLOWS } from './workloads/flows.ts';
import { type JobOutcome, type WorkloadConfig, workloadSizeProblem } from './workloads/workload.ts';

export { PollerFailed } from './workload-runner.ts';

/** Everything one simulation needs. Scenario files and CLI flags both end up here. */
export interface SimulationConfig {
  readonly scenario: string;
  readonly description: string;
  /**
   * The mock's options, except its clock, seed and recording (the engine sets those) and its key list
   * (the simulated clients authenticate as `sk-client-N`).
   */
  readonly mock: Omit<MockOpenAIOptions, 'clock' | 'seed' | 'record' | 'apiKeys'>;
  readonly workload: WorkloadConfig;
  readonly pollers: readonly PollerChoice[];
  readonly seed: number;
  readonly transport: 'fast' | 'sdk';
  /** Virtual time after which the run is cut and unfinished jobs count as abandoned. @unit milliseconds */
  readonly horizonMs: number;
  /** Most timer events per poller run (a guard against strategies that never finish). */
  readonly maxEvents: number;
  /** Keep every request record (for trace.jsonl); otherwise memory is O(jobs). */
  readonly trace: boolean;
}

/** One poller's run. */
export interface PollerRun {
  readonly name: string;
  readonly params: PollerChoice['params'];
  readonly metrics: PollerMetrics & { readonly efficiency: number | null };
  /** Why the run was cut short, if it was. */
  readonly stopped: string | null;
  readonly outcomes: readonly JobOutcome[];
  readonly trace?: readonly RequestRecord[] | undefined;
  /** Timer events the run took (a measure of simulation work). */
  readonly events: number;
}

/** The result of simulating every poller of a config. */
export interface SimulationResult {
  readonly config: SimulationConfig;
  /** The limits the workload's jobs counted against: its model's, or an endpoint's (a vector store's). */
  readonly limits: ModelLimits | undefined;
  /** What `limits` apply to: the model, or e.g. `each vector store`. */
  readonly limitsSubject: string;
  readonly limitsSource: { readonly name: string; readonly asOf: string; readonly source: string };
  readonly pollers: readonly PollerRun[];
}

/** How a run's end reads, by {@link SimulationStopped.reason}. */
function stopText(poller: string, error: SimulationStopped): string {
  switch (error.reason) {
    case 'horizon':
      return `poller '${poller}' stopped at the horizon, ${formatHumanDuration(error.atMs)} of virtual time: its unfinished jobs count as abandoned`;
    case 'event-budget':
      return `poller '${poller}' stopped by the event budget: ${error.message}`;
    case 'stalled':
      return `poller '${poller}' stalled: ${error.message}`;
  }
}

function findJob(mock: MockOpenAI, id: string): JobView | undefined {
  const state = mock.core.state;
  return state.runs.get(id) ?? state.responses.get(id) ?? state.batches.get(id) ?? state.fileBatches.get(id);
}

/**
 * Simulates one poller on a fresh mock and a fresh virtual clock. Every poller of a comparison uses the
 * same seed, so the server draws the same job durations for all of them (common random numbers).
 * `onEvent`: see {@link RunSimulationOptions.onEvent}.
 */
export async function simulatePoller(
  config: SimulationConfig,
  requested: PollerChoice,
  oracle?: { readonly makespanMs: number; readonly resolved: number },
  onEvent?: () => void,
): Promise<PollerRun> {
  // A choice built in code may leave parameters out: their defaults fill them, as for `--poller`, so
  // the poller never reads `undefined` (a sleep of `undefined` is no sleep at all).
  const entry = POLLERS[requested.name];
  if (entry === undefined) throw new PollerFailed(requested.name, new Error('unknown poller'));
  let choice: PollerChoice;
  try {
    choice = resolvePoller(requested.name, requested.params);
  } catch (error) {
    throw new PollerFailed(requested.name, error);
  }
  const problem = simulationConfigProblem(config);
  if (problem !== undefined) throw new RangeError(`simulation config: ${problem}`);
  const tooBig = workloadSizeProblem(config.workload);
  if (tooBig !== undefined) throw new RangeError(`workload.${tooBig[0]}: ${tooBig[1]}`);
  const time = config.transport === 'sdk' ? VirtualTime.global(0) : VirtualTime.isolated(0);
  try {
    const mock = createMockOpenAI({
      ...config.mock,
      apiKeys: undefined, // a config built in JavaScript may carry one; it would refuse every client
      seed: config.seed,
      clock: time.clock,
      record: config.trace,
      orderSimultaneousRequests: true,
    });
    const metrics = new MetricsCollector();
    mock.observe(metrics.observe);
    const root = createRandom(config.seed);
    const published =
      FLOWS[config.workload.flow].endpointLimits?.(config.mock).limits ??
      mock.core.limitsFor(config.workload.model)?.limits;
    const { workload } = config;

    const buildClient = (c: number, stream: Random, maxRetries: number, lang: SdkLang): ApiClient => {
      const common = {
        clientId: `client-${c}`,
        apiKey: `sk-client-${c}`,
        retryRandom: stream.stream('sdk-retry'),
        maxRetries,
        waitForAdmission: choice.name === 'oracle',
      };
      if (config.transport === 'sdk') {
        // A poller of one's own can name its SDK in code, past the config check of its parameters.
        if (lang !== 'node')
          throw new Error(`its client is the ${lang} SDK's, which only the fast transport emulates`);
        return createSdkClient({ ...common, baseURL: mock.baseURL, fetch: mock.fetch });
      }
      return createFastClient({ ...common, lang, core: mock.core, clock: time.clock });
    };
    const run = new WorkloadRun({
      workload,
      choice,
      clock: time.clock,
      root,
      publishedLimits: published,
      buildClient,
      oracle: {
        terminalAt: (id) => findJob(mock, id)?.terminalAt(),
        faultFreeAt: (nowMs) => mock.core.faultFreeAt(nowMs),
      },
    });

    let stopped: string | null = null;
    try {
      await time.run(run.run(), {
        horizonMs: config.horizonMs,
        maxEvents: config.maxEvents,
        onAdvance: onEvent,
      });
    } catch (error) {
      if (!(error instanceof SimulationStopped)) throw error;
      stopped = stopText(choice.name, error);
      // Whatever had not finished by the cut counts as abandoned, so no job is ever lost.
      run.abandonUnfinished(time.now);
    }
    const outcomes = run.outcomes;
    outcomes.sort((a, b) => a.client - b.client || a.index - b.index);
    return {
      name: choice.name,
      params: choice.params,
      metrics: metrics.finish(outcomes, mock.jobs, oracle),
      stopped,
      outcomes,
      trace: config.trace ? mock.requests : undefined,
      events: time.events,
    };
  } finally {
    time.dispose();
  }
}

/** Options of {@link runSimulation}. */
export interface RunSimulationOptions {
  /**
   * Called before each poller's simulation starts, with its `--poller` spec, the oracle first. `index`
   * counts from 0 to `total` − 1 (every poller, the oracle included). For a progress line; it never
   * changes the results.
   */
  readonly onPoller?: ((spec: string, index: number, total: number) => void) | undefined;
  /**
   * Called on every virtual-time event: a heartbeat, for a watchdog in another thread to tell a
   * simulation that moves from one that is stuck (see `SeedWorker`). It never changes the results.
   */
  readonly onEvent?: (() => void) | undefined;
}

/**
 * Simulates every poller of `config`. The oracle always runs first (it is the reference for
 * efficiency); it appears in the results where the config lists it, else last.
 */
export async function runSimulation(
  config: SimulationConfig,
  options: RunSimulationOptions = {},
): Promise<SimulationResult> {
  const oracleChoice = config.pollers.find((p) => p.name === 'oracle') ?? { name: 'oracle', params: {} };
  const total = config.pollers.filter((p) => p.name !== 'oracle').length + 1;
  const labels = formatPollerChoices(config.pollers);
  options.onPoller?.(formatPollerChoice(oracleChoice), 0, total);
  const oracle = await simulatePoller(config, oracleChoice, undefined, options.onEvent);
  const reference =
    oracle.stopped === null
      ? {
          makespanMs: oracle.metrics.makespanMs,
          resolved: oracle.metrics.jobs.completed + oracle.metrics.jobs.failed,
        }
      : undefined;
  const withEfficiency: PollerRun = {
    ...oracle,
    metrics: { ...oracle.metrics, efficiency: reference === undefined ? null : 1 },
  };
  const runs: PollerRun[] = [];
  let index = 1;
  for (const [i, choice] of config.pollers.entries()) {
    if (choice.name === 'oracle') {
      runs.push(withEfficiency);
      continue;
    }
    options.onPoller?.(labels[i] as string, index++, total);
    runs.push(await simulatePoller(config, choice, reference, options.onEvent));
  }
  if (!config.pollers.some((p) => p.name === 'oracle')) runs.push(withEfficiency);
  const table = config.mock.limits ?? TIER_TABLES[config.mock.tier ?? 'free'];
  const endpoint = FLOWS[config.workload.flow].endpointLimits?.(config.mock);
  return {
    config,
    limits: endpoint?.limits ?? resolveModelLimits(table, config.workload.model)?.limits,
    limitsSubject: endpoint?.subject ?? config.workload.model,
    limitsSource:
      endpoint === undefined
        ? { name: table.name, asOf: table.asOf, source: table.source }
        : { name: table.name, asOf: endpoint.asOf, source: endpoint.source },
    pollers: runs,
  };
}
