import { z } from 'zod';
import { schemaProblem } from '../src/core/input-issue.ts';
import { FLOW_NAMES } from './workloads/workload.ts';

/**
 * The run-time check of a {@link SimulationConfig} built in code (`sim` flags and scenario files are
 * checked as they are read). Without it, `jobs: -1` or `workers: 0` ran nothing and reported every
 * poller at 0 requests, as if that were a result; `seed: NaN` failed deep in the mock. The mock's options
 * are checked by the mock itself, the pollers by `resolvePoller`, the workload's size by
 * `workloadSizeProblem`.
 */

const ms = z.number().finite().min(0);
const count = (min: number) => z.number().int().min(min);

// Not strict: a config may carry fields of the caller's own (a note, a label).
const configSchema = z.object({
  scenario: z.string(),
  description: z.string(),
  mock: z.record(z.string(), z.unknown()),
  workload: z.object({
    flow: z.enum(FLOW_NAMES),
    model: z.string().min(1),
    jobs: count(1),
    workers: count(1),
    clients: count(1),
    arrival: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('all-at-once') }),
      z.object({ kind: z.literal('fixed-gap'), gapMs: ms }),
      z.object({ kind: z.literal('poisson'), meanGapMs: ms }),
    ]),
    promptChars: count(0),
  }),
  pollers: z.array(z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).optional() })),
  seed: count(0),
  transport: z.enum(['fast', 'sdk']),
  horizonMs: z.number().finite().positive(),
  maxEvents: count(1),
  trace: z.boolean(),
});

/**
 * What is wrong with a simulation config, as `FIELD: expected …; got …`, or `undefined` when nothing
 * is.
 */
export function simulationConfigProblem(config: unknown): string | undefined {
  const problem = schemaProblem(configSchema, config, 'a simulation config');
  if (problem !== undefined) return problem;
  const { pollers, transport } = config as z.infer<typeof configSchema>;
  const lang = langTransportProblem(pollers, transport);
  return lang === undefined ? undefined : `transport: ${lang}`;
}

/**
 * Why these pollers cannot run on `transport`, or `undefined`: the SDK transport runs the real `openai`
 * Node SDK, so a poller whose client is the Python SDK's (`lang=python`) runs on the fast transport only.
 */
export function langTransportProblem(
  pollers: readonly {
    readonly name: string;
    readonly params?: Readonly<Record<string, unknown>> | undefined;
  }[],
  transport: string,
): string | undefined {
  if (transport !== 'sdk') return undefined;
  const python = pythonPoller(pollers);
  if (python === undefined) return undefined;
  return `${python.name} has lang=${String(python.params?.lang)}, whose SDK rules only the fast transport emulates; the sdk transport runs the openai SDK for Node`;
}

/**
 * The first poller whose client is not the Node SDK's (`lang=python`, `lang=python-2.51`): one that only
 * the fast transport can emulate.
 */
export function pythonPoller<P extends { readonly params?: Readonly<Record<string, unknown>> | undefined }>(
  pollers: readonly P[],
): P | undefined {
  return pollers.find((p) => p.params?.lang !== undefined && p.params.lang !== 'node');
}
