import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { type Document, isMap, isScalar, type LineCounter } from 'yaml';
import { z } from 'zod';
import { formatSeedList } from '../reports/format.ts';
import { didYouMean } from '../src/core/did-you-mean.ts';
import { parseHumanDuration, unitHint } from '../src/core/duration.ts';
import { firstIssue, issueExpected, shown } from '../src/core/input-issue.ts';
import { PACKAGE_ROOT } from '../src/package-root.ts';
import {
  type PollerChoice,
  PollerSpecError,
  parsePollerSpec,
  repeatedPoller,
  resolvePoller,
} from '../src/pollers/registry.ts';
import { type BatchLatency, DEFAULT_LATENCY, type JobLatency } from '../src/server/jobs/latency-config.ts';
import { type Distribution, parseDistribution } from '../src/server/latency.ts';
import { isQuantum, QUANTUM_EXPECTED } from '../src/server/limiter/rate-limiter.ts';
import {
  InputFileError,
  limitsFileSchema,
  loadLimitsFile,
  parseLimitsTable,
  parseYamlDocument,
} from '../src/server/limits/limits-file.ts';
import { noLimitsProblem } from '../src/server/limits/resolve-model.ts';
import { isTier, TIER_TABLES, TIERS, type Tier } from '../src/server/limits/tier-tables.ts';
import type { LimitsTable } from '../src/server/limits/types.ts';
import type { FaultOptions, MockOpenAIOptions } from '../src/server/mock-options.ts';
import { ROUTE_IDS, type RouteId } from '../src/server/routes/route.ts';
import type { SimulationConfig } from './engine.ts';
import { readSeedList } from './seed-list.ts';
import { readTierList } from './tier-list.ts';
import {
  DEFAULT_TUNE_SEEDS,
  parseTuneSpec,
  searchedHeldOut,
  type TuneTarget,
  tuneAxes,
  tuneGridProblem,
} from './tune-spec.ts';
import { type Arrival, FLOW_NAMES, workloadSizeProblem } from './workloads/workload.ts';

/** Where the bundled scenarios live. */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

/**
 * What the published JSON Schema (`docs/schema/scenario.schema.json`, for editors) says of a field whose
 * text the loader parses itself: zod cannot see inside a transform, so its type and words are given.
 */
function inEditors(id: string, type: string | readonly string[], description: string) {
  return { id, type, description } as { id: string; description: string };
}

/** A field's text; anything else (a number, a list) as text no parser accepts, so it gets their message. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/**
 * A duration as text (`10s`, `1m30s`, `0`): YAML reads `gap: 20` as a number, and whether that meant
 * seconds or milliseconds is the user's to say. One message for every wrong value.
 */
const duration = z
  .unknown()
  .transform((value, ctx) => {
    const ms =
      typeof value === 'string' || typeof value === 'number' ? parseHumanDuration(String(value)) : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
      const expected = 'a duration such as 10s, 500ms or 2m';
      const message =
        value === undefined
          ? `missing (expected ${expected})`
          : `expected ${expected}; got ${shown(value)}${unitHint(value)}`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return ms;
  })
  .meta(
    inEditors(
      'duration',
      ['string', 'number'],
      'a duration such as 10s, 500ms, 1m30s or 0; a number needs its unit',
    ),
  );
const distribution = z
  .unknown()
  .transform((value, ctx): Distribution => {
    try {
      // A bare number (8) is taken as the text it is: a wrong one gets the same message as any other.
      return parseDistribution(textOf(value), parseHumanDuration);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  })
  .meta(
    inEditors(
      'distribution',
      ['string', 'number'],
      'a distribution: 8s (fixed), uniform:1s:5s, lognormal:8s:0.6 (median, sigma), lognormal:8s:0.6:5m (capped) or empirical:2s,5s,9s',
    ),
  );
const rate = z.number().min(0).max(1);
const count = z.number().int().min(1);
const jobLatency = z
  .object({
    queue: distribution,
    duration: distribution,
    failRate: rate,
    incompleteRate: rate,
    requiresActionRate: rate,
  })
  .partial()
  .strict();
const routeId = z.string().refine((r) => (ROUTE_IDS as readonly string[]).includes(r), {
  message: `expected a route id such as runs.retrieve (${ROUTE_IDS.join(', ')})`,
});
const arrival = z
  .unknown()
  .transform((field, ctx): Arrival => {
    const text = textOf(field);
    if (text === 'all' || text === 'all-at-once') return { kind: 'all-at-once' };
    const [kind, value] = text.split(':');
    const ms = value === undefined ? undefined : parseHumanDuration(value);
    if ((kind === 'gap' || kind === 'poisson') && ms !== undefined)
      return kind === 'gap' ? { kind: 'fixed-gap', gapMs: ms } : { kind: 'poisson', meanGapMs: ms };
    ctx.addIssue({
      code: 'custom',
      message: `expected all, gap:DURATION or poisson:DURATION; got ${shown(field)}${value === undefined ? '' : unitHint(value)}`,
    });
    return z.NEVER;
  })
  .meta({
    ...inEditors(
      'arrival',
      'string',
      'how jobs arrive: all (at once), gap:DURATION (e.g. gap:20s) or poisson:MEAN (e.g. poisson:30s)',
    ),
    pattern: '^(all|all-at-once|gap:.+|poisson:.+)$',
  });
/**
 * The shape of a poller spec, for editors: a name as `registerPoller` allows, then `key=value` pairs.
 * Which names and parameters exist depends on the pollers registered (`--import`): the loader says.
 */
const POLLER_SPEC_PATTERN = '^\\s*[a-z][a-z0-9-]*(:\\s*([^=,\\s]+=[^,=]+(,\\s*[^=,\\s]+=[^,=]+)*)?)?$';
const poller = z.union([
  z.string().meta({
    description: 'a poller as --poller takes it: NAME or NAME:key=value,… (e.g. fixed:interval=10s)',
    pattern: POLLER_SPEC_PATTERN,
  }),
  z
    .object({
      name: z.string().meta({ pattern: '^[a-z][a-z0-9-]*$' }),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    })
    .strict(),
]);

/**
 * A list of seeds as `--seeds` takes it (`1-10`, `1,4,9`), a list of integers, or one integer. One
 * message for every wrong value.
 */
const seedList = z
  .unknown()
  .transform((value, ctx): number[] => {
    if (Array.isArray(value) && !value.every((seed) => Number.isSafeInteger(seed) && seed >= 0)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a list of seeds (integers ≥ 0); got ${shown(value)}`,
      });
      return z.NEVER;
    }
    const seeds = readSeedList(Array.isArray(value) ? value.join(',') : textOf(value));
    if (Array.isArray(seeds)) return seeds;
    ctx.addIssue({ code: 'custom', message: seeds.problem });
    return z.NEVER;
  })
  .meta(
    inEditors(
      'seeds',
      ['string', 'integer', 'array'],
      'seeds as --seeds takes them (1-10, 1,4,9), a list of them, or one',
    ),
  );

/** One item of a list of tiers, as a regular expression for editors: a tier, a range of them, or `all`. */
const TIER_ITEM = '(all|(free|[1-5])(\\s*-\\s*[1-5])?)';

/**
 * A tier, or several as `--tier` takes them (`free,1,2`, `1-5`, `all`) or as a YAML list. YAML reads
 * `tier: 1` as a number; the bundled files quote it, but either means tier 1. One message for every
 * wrong value.
 */
const tierList = z
  .unknown()
  .transform((value, ctx): Tier[] => {
    const several = `several (free,1,2, 1-5, all, or a list of them)`;
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const listed = Array.isArray(value) ? value : [value];
    if (listed.length === 0) return fail(`expected a tier or ${several}; got an empty list`);
    if (!listed.every((tier) => typeof tier === 'string' || typeof tier === 'number'))
      return fail(`expected one of ${TIERS.join(', ')}, or ${several}; got ${shown(value)}`);
    // In a YAML list, the item that is wrong is named, not the list joined into text nobody wrote.
    const wrong = Array.isArray(value)
      ? listed.findIndex((tier) => !Array.isArray(readTierList(String(tier))))
      : -1;
    if (wrong >= 0)
      return fail(
        `item ${wrong + 1} of the list: expected one of ${TIERS.join(', ')}, a range such as 1-5, or all; got ${shown(listed[wrong])}`,
      );
    // A number alone is shown as the number it is, not as text.
    if (typeof value === 'number' && !isTier(String(value)))
      return fail(`expected one of ${TIERS.join(', ')}, or ${several}; got ${value}`);
    const tiers = readTierList(listed.join(','));
    return Array.isArray(tiers) ? tiers : fail(tiers.problem);
  })
  .meta({
    ...inEditors(
      'tiers',
      ['string', 'integer', 'array'],
      'usage tier: free, 1, 2, 3, 4 or 5 (quoted or not); several (free,1,2, 1-5, all, or a list) for a study at each; or give limits',
    ),
    // The shapes an editor can check; the loader says the rest (a range that runs backwards, a repeat).
    anyOf: [
      { type: 'string', pattern: `^\\s*${TIER_ITEM}(\\s*,\\s*${TIER_ITEM})*\\s*$` },
      { type: 'integer', minimum: 1, maximum: 5 },
      {
        type: 'array',
        minItems: 1,
        items: {
          anyOf: [
            { type: 'string', pattern: `^\\s*${TIER_ITEM}\\s*$` },
            { type: 'integer', minimum: 1, maximum: 5 },
          ],
        },
      },
    ],
  });

/** A run that may not last any virtual time would end before its first request is answered. */
export const HORIZON_EXPECTED = 'expected a duration above zero, such as 6h';

/** The scenario file schema (YAML). Unknown fields are errors. */
export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case name'),
    description: z.string().min(1),
    tier: tierList.optional(),
    limits: z
      .union([z.string(), limitsFileSchema])
      .optional()
      .meta({ description: 'a limits file (relative to this one), or the limits inline; in place of tier' }),
    model: z.string().min(1).meta({ description: 'the model whose limits apply, e.g. gpt-4.1' }),
    workload: z
      .object({
        flow: z.enum(FLOW_NAMES),
        jobs: count,
        workers: count.default(1),
        clients: count.default(1),
        arrival: arrival.prefault('all'),
        promptChars: count.default(200),
      })
      .strict(),
    server: z
      .object({
        limiter: z
          .object({
            algorithm: z.enum(['token-bucket', 'fixed-window', 'sliding-window']),
            countFailedRequests: z.boolean(),
            quantize: duration.refine(isQuantum, { message: QUANTUM_EXPECTED }),
          })
          .partial()
          .strict(),
        headers: z
          .object({
            rateLimit: z.enum(['always', 'success-only', 'never']),
            retryAfter: z.boolean(),
            retryAfterMs: z.boolean(),
            pollAfter: duration,
          })
          .partial()
          .strict(),
        latency: z
          .object({
            request: distribution,
            completion: distribution,
            run: jobLatency,
            response: jobLatency,
            /** Vector-store file batches; `failRate` is per file. */
            fileBatch: jobLatency.omit({ incompleteRate: true, requiresActionRate: true }),
            runCancelling: distribution,
            batch: z
              .object({
                validating: distribution,
                inProgress: distribution,
                finalizing: distribution,
                cancelling: distribution,
                failRate: rate,
              })
              .partial()
              .strict(),
          })
          .partial()
          .strict(),
        faults: z
          .object({
            serverErrorRate: rate,
            overloadedRate: rate,
            quotaRate: rate,
            latencySpikeRate: rate,
            latencySpike: distribution,
            windows: z.array(
              z
                .object({
                  kind: z.enum(['server_error', 'overloaded', 'insufficient_quota', 'latency']),
                  from: duration,
                  to: duration,
                  latency: duration.optional(),
                })
                .strict()
                // A window that ends before it starts would never open, and the study would not say so.
                .refine((w) => w.to > w.from, {
                  path: ['to'],
                  message: 'expected a time after from: a window is [from, to)',
                }),
            ),
          })
          .partial()
          .strict(),
        /** Requests a minute each vector store allows (the guide's 300). */
        vectorStoreRpm: count,
        /** Routes exempt from the model's limits. */
        notCounted: z.array(routeId),
        /** Model-less routes made to count against a model, e.g. `batches.retrieve: gpt-4.1`. */
        countAgainst: z.record(routeId, z.string()),
      })
      .partial()
      .strict()
      .default({}),
    pollers: z.array(poller).min(1).meta({ description: 'the pollers compared, each run on the same jobs' }),
    seed: z.number().int().min(0).optional().meta({ description: 'root seed of one run (default 1)' }),
    // A study across seeds, a search: what `--seeds`, `--tune`, `--tune-grid` and `--held-out` give.
    seeds: seedList.optional(),
    tune: z.string().min(1).optional().meta({
      description:
        'a search, as --tune: a poller with one to three ranges (fixed:interval=1s..30s), and named values listed beside one (backoff:base=1s..60s,jitter=none|equal, or jitter=*)',
      pattern: POLLER_SPEC_PATTERN,
    }),
    tuneGrid: z.number().int().min(2).optional().meta({ description: 'with tune: as --tune-grid' }),
    heldOut: z
      .union([z.literal('none'), seedList])
      .optional()
      .meta({ description: 'with tune: the seeds the best is checked on, as --held-out, or none' }),
    horizon: duration.refine((ms) => ms > 0, { message: HORIZON_EXPECTED }).prefault('6h'),
  })
  .strict()
  .refine((s) => (s.tier === undefined) !== (s.limits === undefined), {
    message: 'give exactly one of tier and limits',
    path: ['tier'],
  });

export type ScenarioFile = z.output<typeof scenarioSchema>;

/**
 * The JSON Schema (draft 2020-12) of a scenario file, as written to `docs/schema/scenario.schema.json`
 * for editors that check YAML as it is typed. It checks the shape (fields, types, names of flows and
 * algorithms); the loader checks the rest (durations, distributions, pollers, a model's limits).
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
  // The refinement "exactly one of tier and limits" is code to zod; to an editor it is this.
  return { ...schema, oneOf: [{ required: ['tier'] }, { required: ['limits'] }] };
}

/** Finds a bundled scenario by name, or takes a path. */
export function resolveScenarioPath(nameOrPath: string): string {
  if (isScenarioPath(nameOrPath)) return resolve(nameOrPath);
  return join(SCENARIOS_DIR, `${nameOrPath}.yaml`);
}

/**
 * Whether `--scenario` names a file rather than a scenario under `scenarios/`: a `.yaml` or `.yml` file,
 * a path from `/` or `.`, or another path that exists. `studies/seed-program-sleeps` names
 * `scenarios/studies/seed-program-sleeps.yaml` unless the current folder holds a
 * `studies/seed-program-sleeps` of its own.
 */
function isScenarioPath(nameOrPath: string): boolean {
  return (
    nameOrPath.endsWith('.yaml') ||
    nameOrPath.endsWith('.yml') ||
    nameOrPath.startsWith('/') ||
    nameOrPath.startsWith('.') ||
    (nameOrPath.includes('/') && existsSync(resolve(nameOrPath)))
  );
}

/** The studies under `scenarios/studies/`, as `--scenario` names them (`studies/seed-program-sleeps`). */
function bundledStudyNames(): string[] {
  return readdirSafe(join(SCENARIOS_DIR, 'studies'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `studies/${basename(f, '.yaml')}`)
    .sort();
}

/**
 * What a scenario file asks of the `sim` command beyond one run (its `seeds`, `tune`, `tuneGrid` and
 * `heldOut` fields, and a `tier` naming several; the flags of the same names override them): a study
 * across seeds, a search, at one tier or at each of several.
 */
export interface ScenarioStudy {
  /** `tier` naming more than one (`free,1,2`, `all`): the study at each, in order. Absent for one tier. */
  readonly tiers?: readonly Tier[] | undefined;
  /** `seeds`: run the study once per seed; with `tune` and no `seeds`, 1–10. Absent for one run. */
  readonly seeds?: readonly number[] | undefined;
  /** `tune`, parsed, and what it says as written. */
  readonly tune?: { readonly spec: string; readonly target: TuneTarget } | undefined;
  /** `tuneGrid`: settings on the first grid (a side of it with two ranges or three). */
  readonly gridPoints?: number | undefined;
  /** `heldOut`: the seeds the best setting is checked on; `[]` for `none`. */
  readonly heldOutSeeds?: readonly number[] | undefined;
}

/**
 * Loads and validates a scenario file: one run's config, at its `seed` (default 1; a file whose
 * `seeds` or `tune` make it a study, and so has no `seed`, gives its run at 1) and its `tier` (the
 * first, when it names several). For the study, see {@link loadScenarioStudy}.
 * @throws {@link InputFileError} naming the file, the field, the line where the YAML parser gives it,
 * and what was expected.
 */
export function loadScenario(nameOrPath: string): SimulationConfig {
  return loadScenarioStudy(nameOrPath).config;
}

/**
 * Loads and validates a scenario file: one run's config, and the study its `seeds` and `tune` ask for.
 * @throws {@link InputFileError} as {@link loadScenario} does
 */
export function loadScenarioStudy(nameOrPath: string): { config: SimulationConfig; study: ScenarioStudy } {
  const file = resolveScenarioPath(nameOrPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(
      file,
      '',
      code === 'ENOENT' && !isScenarioPath(nameOrPath)
        ? `no such scenario${didYouMean(nameOrPath, [...bundledScenarioNames(), ...bundledStudyNames()])} (bundled: ${bundledScenarioNames().join(', ')}; studies: ${bundledStudyNames().join(', ')})`
        : `cannot be read (${code ?? 'error'})`,
    );
  }
  return parseScenarioStudy(file, text);
}

/** Validates scenario text; `file` is used in messages and to resolve a relative `limits:` path. */
export function parseScenario(file: string, text: string): SimulationConfig {
  return parseScenarioStudy(file, text).config;
}

/** {@link parseScenario}, with the study the file asks for (see {@link loadScenarioStudy}). */
export function parseScenarioStudy(
  file: string,
  text: string,
): { config: SimulationConfig; study: ScenarioStudy } {
  const { doc, lines, raw } = parseYamlDocument(file, text, 'YAML');
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    const issue = firstIssue(result.error);
    const path = (issue?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p));
    const expected = issueExpected(
      issue,
      raw,
      'scenario fields (name, tier, model, workload, pollers, …) as in scenarios/*.yaml',
      scenarioSchema,
    );
    // An unknown field is found on its own line, not its parent's.
    const line =
      issue?.code === 'unrecognized_keys'
        ? keyLine(doc, lines, path, issue.keys[0] as string)
        : lineOf(doc, lines, path);
    throw new InputFileError(file, path.join('.'), expected, line);
  }
  return {
    config: toConfig(file, doc, lines, result.data),
    study: toStudy(file, doc, lines, result.data),
  };
}

/** The file's tiers beyond one, and its `seeds`, `tune`, `tuneGrid` and `heldOut`, checked together as the flags are. */
function toStudy(file: string, doc: Document, lines: LineCounter, s: ScenarioFile): ScenarioStudy {
  const fail = (field: string, message: string): never => {
    throw new InputFileError(file, field, message, lineOf(doc, lines, [field]));
  };
  if (s.seeds !== undefined && s.seed !== undefined)
    fail('seeds', 'give seed (one run) or seeds (a study across them), not both');
  if (s.tune !== undefined && s.seed !== undefined)
    fail(
      'tune',
      'a setting is tuned over several seeds, not one: give them as seeds (default 1-10), not seed',
    );
  for (const field of ['tuneGrid', 'heldOut'] as const)
    if (s[field] !== undefined && s.tune === undefined)
      fail(field, 'says how tune searches: give tune (e.g. fixed:interval=1s..30s) too');
  let tune: ScenarioStudy['tune'];
  if (s.tune !== undefined) {
    try {
      tune = { spec: s.tune.trim(), target: parseTuneSpec(s.tune) };
    } catch (error) {
      if (error instanceof PollerSpecError) fail('tune', error.message);
      throw error;
    }
  }
  if (tune !== undefined && s.tuneGrid !== undefined) {
    const problem = tuneGridProblem(s.tuneGrid, tuneAxes(tune.target));
    if (problem !== undefined) fail('tuneGrid', problem);
  }
  const seeds = s.seeds ?? (tune === undefined ? undefined : DEFAULT_TUNE_SEEDS);
  const heldOut = s.heldOut === 'none' ? [] : s.heldOut;
  const seen = searchedHeldOut(seeds ?? [], heldOut ?? []);
  if (seen !== undefined)
    fail(
      'heldOut',
      `seed ${seen} is one the search sees (seeds ${formatSeedList(seeds ?? [])}): held-out seeds must be others`,
    );
  return {
    ...(s.tier === undefined || s.tier.length < 2 ? {} : { tiers: s.tier }),
    ...(s.seeds === undefined ? {} : { seeds: s.seeds }),
    ...(tune === undefined ? {} : { tune }),
    ...(s.tuneGrid === undefined ? {} : { gridPoints: s.tuneGrid }),
    ...(heldOut === undefined ? {} : { heldOutSeeds: heldOut }),
  };
}

/** The line of the key `field` in the mapping at `path` (where a value that is a mapping starts below it). */
function keyLine(
  doc: Document,
  lines: LineCounter,
  path: (string | number)[],
  field: string,
): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(parent)) {
    const key = parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === field)?.key;
    const range = (key as { range?: [number, number, number] } | undefined)?.range;
    if (range !== undefined) return lines.linePos(range[0]).line;
  }
  return lineOf(doc, lines, [...path, field]);
}

function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function toConfig(file: string, doc: Document, lines: LineCounter, s: ScenarioFile): SimulationConfig {
  let limits: LimitsTable | undefined;
  if (typeof s.limits === 'string')
    limits = loadLimitsFile(isAbsolute(s.limits) ? s.limits : join(dirname(file), s.limits));
  else if (s.limits !== undefined) limits = parseLimitsTable(file, s.limits);
  // A model must have limits at every tier listed, not only at the first, whose run this config is.
  const tables = limits === undefined ? (s.tier ?? []).map((tier) => TIER_TABLES[tier]) : [limits];
  const noLimits = (model: string) =>
    tables.map((table) => noLimitsProblem(table, model)).find((problem) => problem !== undefined);
  const modelIssue = noLimits(s.model);
  if (modelIssue !== undefined)
    throw new InputFileError(file, 'model', modelIssue, lineOf(doc, lines, ['model']));
  // Counted against a model without limits, every request of the route would get 404 model_not_found.
  for (const [route, model] of Object.entries(s.server.countAgainst ?? {})) {
    const issue = noLimits(model);
    if (issue !== undefined)
      throw new InputFileError(
        file,
        `server.countAgainst.${route}`,
        issue,
        lineOf(doc, lines, ['server', 'countAgainst', route]),
      );
  }
  const tooBig = workloadSizeProblem(s.workload);
  if (tooBig !== undefined) {
    const [field, message] = tooBig;
    throw new InputFileError(file, `workload.${field}`, message, lineOf(doc, lines, ['workload', field]));
  }
  const pollers: PollerChoice[] = s.pollers.map((p, i) => {
    try {
      return typeof p === 'string'
        ? parsePollerSpec(p)
        : // As text, as in a spec: a YAML number such as `interval: 10` then needs its unit too.
          resolvePoller(p.name, mapValues(p.params ?? {}, String), `pollers.${i}`);
    } catch (error) {
      if (error instanceof PollerSpecError)
        throw new InputFileError(file, `pollers.${i}`, error.message, lineOf(doc, lines, ['pollers', i]));
      throw error;
    }
  });
  const repeat = repeatedPoller(pollers);
  if (repeat !== undefined)
    throw new InputFileError(
      file,
      `pollers.${repeat.index}`,
      repeat.message,
      lineOf(doc, lines, ['pollers', repeat.index]),
    );
  return {
    scenario: s.name,
    description: s.description,
    mock: mockOptions(s, limits),
    workload: { ...s.workload, model: s.model },
    pollers,
    seed: s.seed ?? 1,
    transport: 'fast',
    horizonMs: s.horizon,
    maxEvents: 50_000_000,
    trace: false,
  };
}

function mockOptions(s: ScenarioFile, limits: LimitsTable | undefined): MockOpenAIOptions {
  const { limiter, headers, latency, faults, notCounted, countAgainst, vectorStoreRpm } = s.server;
  const countedRoutes: Partial<Record<RouteId, boolean | string>> = {};
  for (const route of notCounted ?? []) countedRoutes[route as RouteId] = false;
  for (const [route, model] of Object.entries(countAgainst ?? {})) countedRoutes[route as RouteId] = model;
  return {
    ...(limits === undefined ? { tier: (s.tier as Tier[])[0] as Tier } : { limits }),
    ...(vectorStoreRpm === undefined ? {} : { vectorStoreRpm }),
    ...(limiter === undefined
      ? {}
      : {
          limiter: {
            ...(limiter.algorithm === undefined ? {} : { algorithm: limiter.algorithm }),
            ...(limiter.countFailedRequests === undefined
              ? {}
              : { countFailedRequests: limiter.countFailedRequests }),
            ...(limiter.quantize === undefined ? {} : { quantization: { quantumMs: limiter.quantize } }),
          },
        }),
    ...(headers === undefined
      ? {}
      : {
          headers: {
            ...(headers.rateLimit === undefined ? {} : { rateLimit: headers.rateLimit }),
            ...(headers.retryAfter === undefined ? {} : { retryAfter: headers.retryAfter }),
            ...(headers.retryAfterMs === undefined ? {} : { retryAfterMs: headers.retryAfterMs }),
            ...(headers.pollAfter === undefined ? {} : { pollAfterMs: headers.pollAfter }),
          },
        }),
    ...(latency === undefined
      ? {}
      : {
          latency: {
            ...(latency.request === undefined ? {} : { request: latency.request }),
            ...(latency.completion === undefined ? {} : { completion: latency.completion }),
            ...(latency.runCancelling === undefined ? {} : { runCancelling: latency.runCancelling }),
            ...(latency.run === undefined
              ? {}
              : { run: stripUndefined({ ...DEFAULT_LATENCY.run, ...latency.run }) as JobLatency }),
            ...(latency.response === undefined
              ? {}
              : {
                  response: stripUndefined({
                    ...DEFAULT_LATENCY.response,
                    ...latency.response,
                  }) as JobLatency,
                }),
            ...(latency.batch === undefined
              ? {}
              : { batch: stripUndefined({ ...DEFAULT_LATENCY.batch, ...latency.batch }) as BatchLatency }),
            ...(latency.fileBatch === undefined
              ? {}
              : {
                  fileBatch: stripUndefined({
                    ...DEFAULT_LATENCY.fileBatch,
                    ...latency.fileBatch,
                  }) as JobLatency,
                }),
          },
        }),
    ...(faults === undefined
      ? {}
      : {
          faults: stripUndefined<FaultOptions>({
            serverErrorRate: faults.serverErrorRate,
            overloadedRate: faults.overloadedRate,
            insufficientQuotaRate: faults.quotaRate,
            latencySpikeRate: faults.latencySpikeRate,
            latencySpike: faults.latencySpike,
            windows: faults.windows?.map((w) => ({
              kind: w.kind,
              fromMs: w.from,
              toMs: w.to,
              ...(w.latency === undefined ? {} : { latencyMs: w.latency }),
            })),
          }),
        }),
    countedRoutes,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: removes the undefined fields zod leaves, for exactOptionalPropertyTypes.
function stripUndefined<T extends Record<string, any>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Names of the bundled scenarios. */
export function bundledScenarioNames(): string[] {
  return readdirSafe(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
