import type { SimulationResult } from '../sim/engine.ts';
import type { PollerMetrics } from '../sim/metrics.ts';
import { replayCommand } from '../sim/replay-command.ts';
import { formatPollerChoices } from '../src/pollers/registry.ts';
import type { ModelLimits } from '../src/server/limits/types.ts';
import { POLLBENCH_VERSION } from '../src/version.ts';
import { bestOfRun } from './verdict.ts';

/** One poller's entry of the summary (the `--json` document's `pollers[]`): its metrics, named. */
export type PollerSummary = PollerMetrics & {
  readonly name: string;
  /** The poller as a `--poller` spec, e.g. `fixed:interval=10s,gap=20s`. */
  readonly spec: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly efficiency: number | null;
  /** Why the run was cut short (horizon, event budget), or null. */
  readonly stopped: string | null;
};

/** The `--json` document and `summary.json`: everything a report shows comes from here. */
export interface Summary {
  readonly schema: 'pollbench/summary@1';
  /** The pollbench that computed it: the same seed gives the same document on the same version. */
  readonly pollbenchVersion: string;
  readonly scenario: string;
  readonly description: string;
  readonly tier: string;
  readonly model: string;
  readonly seed: number;
  readonly transport: 'fast' | 'sdk';
  /**
   * The `sim` flags of the study, `--seed` and the output flags left out: `npm run sim -- ARGS --seed N`
   * runs it again. Null when the run did not come from the command (a config built in code); absent in
   * a summary written before the field existed.
   */
  readonly studyArgs?: readonly string[] | null | undefined;
  readonly limits: ModelLimits | null;
  /** What `limits` apply to: the model, or `each vector store` for the vector-store flow. */
  readonly limitsSubject: string;
  readonly limitsSource: { readonly name: string; readonly asOf: string; readonly source: string };
  readonly workload: {
    readonly flow: string;
    readonly jobs: number;
    readonly workers: number;
    readonly clients: number;
    readonly arrival: string;
  };
  /**
   * The spec of the poller the line under the table names ({@link bestOfRun}): of those that finished
   * every job, the oracle aside, the fewest rate-limit 429s, then the highest efficiency, then the fewest
   * requests. Null when no poller but the oracle finished every job; absent in a summary written before
   * the field existed.
   */
  readonly recommended?: string | null | undefined;
  readonly pollers: readonly PollerSummary[];
}

/**
 * Builds the summary document from a simulation result.
 * @param studyArgs - the command's study flags (`studyArgs` of sim-flags), when it came from `sim`
 */
export function summarize(result: SimulationResult, studyArgs: readonly string[] | null = null): Summary {
  const { config } = result;
  const arrival = config.workload.arrival;
  const specs = formatPollerChoices(result.pollers.map(({ name, params }) => ({ name, params })));
  const pollers = result.pollers.map((run, i) => ({
    name: run.name,
    spec: specs[i] as string,
    params: run.params,
    ...run.metrics,
    stopped: run.stopped,
  }));
  return {
    schema: 'pollbench/summary@1',
    pollbenchVersion: POLLBENCH_VERSION,
    scenario: config.scenario,
    description: config.description,
    tier: config.mock.tier ?? result.limitsSource.name,
    model: config.workload.model,
    seed: config.seed,
    transport: config.transport,
    studyArgs: studyArgs === null ? null : [...studyArgs],
    limits: result.limits ?? null,
    limitsSubject: result.limitsSubject,
    limitsSource: result.limitsSource,
    workload: {
      flow: config.workload.flow,
      jobs: config.workload.jobs,
      workers: config.workload.workers,
      clients: config.workload.clients,
      arrival:
        arrival.kind === 'all-at-once'
          ? 'all-at-once'
          : arrival.kind === 'fixed-gap'
            ? `gap:${arrival.gapMs}ms`
            : `poisson:${arrival.meanGapMs}ms`,
    },
    recommended: bestOfRun({ pollers })?.spec ?? null,
    pollers,
  };
}

/** `npm run sim -- … --seed N` for this run, or undefined when the summary does not know its flags. */
export function rerunOf(summary: Pick<Summary, 'studyArgs'>, seed: number | string): string | undefined {
  return summary.studyArgs == null ? undefined : replayCommand(summary.studyArgs, seed);
}
