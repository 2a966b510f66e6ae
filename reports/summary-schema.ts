import { z } from 'zod';
import { InputFileError, modelLimitsShape, zodToFileError } from '../src/server/limits/limits-file.ts';
import type { SeedsSummary } from './seeds-summary.ts';
import type { Summary } from './summary.ts';
import type { TiersSummary } from './tiers-summary.ts';

/**
 * Schemas of the three documents pollbench writes: the summary (`--json`, `summary.json`), the study
 * across seeds (`--seeds --json`, `seeds.json`) and the study at several tiers (`--tier free,1,… --json`,
 * `tiers.json`). `npm run report` checks a file against them before it
 * draws anything, and `docs/schema/*.schema.json` are generated from them for other tools.
 *
 * Fields a later version adds are let through: "more fields welcome" (issue 3).
 */

const count = z.number().int().min(0);
/** Virtual time. @unit milliseconds */
const ms = z.number().min(0);
const countsBy = z.record(z.string(), count);

// As a limits file takes them: a zero or negative limit has no meaning, and the reading divides by RPM.
const limits = z.object(modelLimitsShape);

const study = {
  pollbenchVersion: z.string().describe('the pollbench that computed it (package.json version)'),
  scenario: z.string(),
  description: z.string(),
  tier: z.string(),
  model: z.string(),
  transport: z.enum(['fast', 'sdk']),
  studyArgs: z
    .array(z.string())
    .nullable()
    .optional()
    .describe(
      'the sim flags of the study, without --seed and the output flags: `npm run sim -- ARGS --seed N` runs it again; null when it did not come from the command, absent in summaries written before the field existed',
    ),
  limits: limits.nullable(),
  limitsSubject: z
    .string()
    .describe('what limits apply to: the model, or "each vector store" for the vector-store flow'),
  limitsSource: z.object({ name: z.string(), asOf: z.string(), source: z.string() }),
  workload: z.object({
    flow: z.string(),
    jobs: count,
    workers: count,
    clients: count,
    arrival: z.string(),
  }),
  recommended: z
    .string()
    .nullable()
    .optional()
    .describe(
      'the spec of the poller the line under the table names: of those that finished every job (on every seed), the oracle aside, the fewest rate-limit 429s, then the highest efficiency, then the fewest requests; null when none but the oracle did; absent in documents written before the field existed',
    ),
};

const jobs = z.object({ completed: count, failed: count, abandoned: count });
const named = {
  name: z.string(),
  spec: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
};
const stopped = z.string().nullable().describe('why the run was cut short (horizon, event budget), or null');

const pollerSummary = z.object({
  ...named,
  requests: count,
  requestsByRoute: z.record(z.string(), countsBy).describe('requests by route, then by HTTP status'),
  rateLimited: count.describe('429 rate_limit_exceeded answers'),
  rateLimitedBy: countsBy,
  errors: count,
  errorsByStatus: countsBy,
  jobs,
  makespanMs: ms,
  throughputPerMin: z.number().min(0),
  detectionDelayMs: z.object({ p50: ms.nullable(), p95: ms.nullable(), max: ms.nullable() }),
  pollsPerJob: z.number().min(0),
  wastedRequests: count,
  firstRateLimitAtJob: z.number().int().min(1).nullable(),
  firstRateLimitAtMs: ms.nullable(),
  perMinute: z.object({ counted: z.array(count), rateLimited: z.array(count) }),
  detectionDelayPercentilesMs: z.array(ms).describe('percentiles 0, 2, … 100 (51 values), or empty'),
  efficiency: z.number().min(0).nullable().describe('oracle makespan ÷ makespan'),
  stopped,
  byClient: z
    .array(
      z.object({
        client: count.describe('the client number, from 0 (client-N, key sk-client-N)'),
        requests: count,
        rateLimited: count,
        jobs,
        makespanMs: ms.describe('from the start until its own last job was done'),
      }),
    )
    .optional()
    .describe('each client of a run with several clients, by number; absent with one client'),
});

/** `pollbench/summary@1`: one run of a study. */
export const summarySchema = z
  .object({
    schema: z.literal('pollbench/summary@1'),
    ...study,
    seed: count,
    pollers: z.array(pollerSummary),
  })
  .meta({
    title: 'pollbench summary',
    description: 'One run of a pollbench study: npm run sim -- --json, or summary.json. Times in virtual ms.',
  });

const spread = z.object({ mean: z.number(), p50: z.number(), min: z.number(), max: z.number() });

const seedRun = z.object({
  seed: count,
  requests: count,
  rateLimited: count,
  errors: count,
  jobs,
  makespanMs: ms,
  detectionDelayP95Ms: ms.nullable(),
  firstRateLimitAtJob: z.number().int().min(1).nullable(),
  efficiency: z.number().min(0).nullable(),
  stopped,
  clientMakespanMs: z
    .object({ first: ms, last: ms })
    .optional()
    .describe(
      'with several clients: the makespans of the first and the last client to finish; absent with one',
    ),
});

const seedsPoller = z
  .object({
    ...named,
    runs: count,
    runsRateLimited: count,
    runsCut: count,
    requests: spread,
    rateLimited: spread,
    errors: spread,
    jobs,
    makespanMs: spread,
    detectionDelayP95Ms: spread.nullable(),
    firstRateLimitAtJob: spread.nullable(),
    efficiency: spread.nullable(),
    runsBelowEfficiencyGoal: count,
    clients: z
      .object({ firstMakespanMs: spread, lastMakespanMs: spread, lastOverFirst: spread })
      .optional()
      .describe(
        "with several clients, over the seeds: the first and the last client's makespans, and the last's over the first's; absent with one",
      ),
    perSeed: z.array(seedRun),
  })
  // Its id makes the JSON Schema write it once, in $defs: a row appears in pollers[] and in a tuning.
  .meta({ id: 'pollerAcrossSeeds', description: 'one poller over every seed' });

/**
 * A tuned parameter after the first: its range, or its named values (a setting's value is then an index
 * into them), and which end of the range the best setting is, if either.
 */
const tunedAxis = z
  .object({
    param: z.string(),
    kind: z.enum(['duration', 'number', 'int', 'enum']),
    low: z.number().describe('for named values, 0'),
    high: z.number().describe('for named values, the last index of values'),
    values: z
      .array(z.string())
      .min(2)
      .optional()
      .describe(
        "with kind enum: the named values searched, in the order given; a setting's value is an index into them",
      ),
    atEnd: z.enum(['low', 'high']).nullable().describe('always null for named values'),
  })
  .optional();

const tuning = z
  .object({
    spec: z.string().describe('the --tune spec as given, e.g. fixed:interval=1s..30s'),
    poller: z.string(),
    param: z.string(),
    kind: z.enum(['duration', 'number', 'int']),
    low: z.number().describe("the range's low end, in the parameter's unit (ms for a duration)"),
    high: z.number(),
    tried: z
      .array(
        z.object({
          value: z.number().describe("the (first) tuned parameter's value"),
          second: z
            .number()
            .optional()
            .describe("the second tuned parameter's value, when two or three were tuned"),
          third: z.number().optional().describe("the third tuned parameter's value, when three were tuned"),
          spec: z.string(),
          round: count,
          alongEdge: z
            .literal(true)
            .optional()
            .describe('present when its round walked along the edge of the 429s (two or three parameters)'),
        }),
      )
      .describe('every setting tried, in order: round 0 is the first grid, then each refining round'),
    best: z
      .string()
      .nullable()
      .describe(
        'the best setting by the ranking of the line under the table; null when none finished every job',
      ),
    nearestUnsafe: z
      .string()
      .nullable()
      .describe('of the settings that got a 429 or lost a job, the nearest to best; null when none did'),
    atEnd: z.enum(['low', 'high']).nullable().describe('which end of the range best is, if either'),
    second: tunedAxis.describe(
      'the second parameter, when --tune gave two or three (ranges first, then named values), and which end of its range best is',
    ),
    third: tunedAxis.describe(
      'the third parameter, when --tune gave three, and which end of its range best is',
    ),
    heldOut: z
      .object({ seeds: z.array(count).min(1), result: seedsPoller })
      .nullable()
      .describe('best again on seeds the search never saw'),
  })
  .optional()
  .describe('present when the study came from --tune: how it searched and what it found');

/** `pollbench/seeds@1`: one study run at several seeds. */
export const seedsSummarySchema = z
  .object({
    schema: z.literal('pollbench/seeds@1'),
    ...study,
    seeds: z.array(count).min(1),
    efficiencyGoal: z.number(),
    pollers: z.array(seedsPoller),
    tuning,
  })
  .meta({
    title: 'pollbench study across seeds',
    description: 'One study run at several seeds: npm run sim -- --seeds LIST --json, or seeds.json.',
  });

/** `pollbench/tiers@1`: one study at several tiers, each tier's a whole document of its own. */
export const tiersSummarySchema = z
  .object({
    schema: z.literal('pollbench/tiers@1'),
    pollbenchVersion: study.pollbenchVersion,
    studyArgs: z
      .array(z.string())
      .nullable()
      .describe(
        'the sim flags of the study (--tier naming every tier), without --seed and the output flags; null when it did not come from the command',
      ),
    description: z
      .string()
      .nullable()
      .describe(
        'with --scenario, which every tier ran: its description and the flags that change it but --tier; null when each tier ran its own bundled study',
      ),
    tiers: z.array(z.string()).min(1).describe('the tiers in the order given: studies[i] ran at tiers[i]'),
    seeds: z
      .array(count)
      .min(1)
      .nullable()
      .describe("the seeds each tier's study ran at (--seeds); null when each ran once"),
    studies: z
      .union([z.array(summarySchema), z.array(seedsSummarySchema)])
      .describe(
        'one document per tier, as --tier T alone prints it: all summaries, or with --seeds all studies across seeds, or with --tune all searches (each with its tuning)',
      ),
  })
  .refine((doc) => doc.studies.length === doc.tiers.length, {
    path: ['studies'],
    message: 'one study per tier: as many entries as tiers[] has',
  })
  .meta({
    title: 'pollbench study at several tiers',
    description: 'One study at several tiers: npm run sim -- --tier free,1,2 --json, or tiers.json.',
  });

/** The JSON Schemas (draft 2020-12) of the three documents, as written to `docs/schema/`. */
export function jsonSchemas(): Record<'summary' | 'seeds' | 'tiers', Record<string, unknown>> {
  return {
    summary: z.toJSONSchema(summarySchema, { io: 'input' }),
    seeds: z.toJSONSchema(seedsSummarySchema, { io: 'input' }),
    tiers: z.toJSONSchema(tiersSummarySchema, { io: 'input' }),
  };
}

const SCHEMAS = ['pollbench/summary@1', 'pollbench/seeds@1', 'pollbench/tiers@1'] as const;

/**
 * Checks a parsed JSON document against the schema it names.
 * @throws {@link InputFileError} naming `file`, the first wrong field and what was expected.
 */
export function readReportDocument(file: string, raw: unknown): Summary | SeedsSummary | TiersSummary {
  const named = (raw as { schema?: unknown } | null)?.schema;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !SCHEMAS.includes(named as never))
    throw new InputFileError(
      file,
      'schema',
      `not a pollbench summary: expected "schema": ${SCHEMAS.map((s) => `"${s}"`).join(', ')}`,
    );
  if (named === 'pollbench/tiers@1') {
    const result = tiersSummarySchema.safeParse(raw);
    if (result.success) return asWritten<TiersSummary>(result.data, raw);
    throw zodToFileError(file, result.error, raw, 'a pollbench summary', tiersSummarySchema);
  }
  if (named === 'pollbench/seeds@1') {
    const result = seedsSummarySchema.safeParse(raw);
    if (result.success) return asWritten<SeedsSummary>(result.data, raw);
    throw zodToFileError(file, result.error, raw, 'a pollbench summary', seedsSummarySchema);
  }
  const result = summarySchema.safeParse(raw);
  if (result.success) return asWritten<Summary>(result.data, raw);
  throw zodToFileError(file, result.error, raw, 'a pollbench summary', summarySchema);
}

/**
 * The document as it was written, once checked. `_checked` (the schema's output) must be a `T`, so a
 * schema that lost a field, or typed one differently, fails the typecheck. The output itself is not
 * returned: zod orders its keys as the schema does and drops unknown ones, and a copied summary.json
 * must stay byte-identical.
 */
function asWritten<T>(_checked: T, raw: unknown): T {
  return raw as T;
}
