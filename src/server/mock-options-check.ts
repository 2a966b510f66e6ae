import { z } from 'zod';
import { schemaProblem } from '../core/input-issue.ts';
import { isQuantum, QUANTUM_EXPECTED } from './limiter/rate-limiter.ts';
import { limitsFileSchema } from './limits/limits-file.ts';
import { TIERS } from './limits/tier-tables.ts';
import { ROUTE_IDS } from './routes/route.ts';

/**
 * The run-time check of {@link MockOpenAIOptions} given in code. The command line and scenario files
 * check what they read before it gets here; code that builds options itself (a property test whose tier
 * comes from an environment variable, JavaScript without the typings) got a `TypeError` from deep inside
 * the mock for an unknown tier, and nothing at all for a negative latency or a fail rate of 5, which
 * then ran as something else. Each bound is the one the flags and scenario files apply.
 */

/** A duration. @unit milliseconds */
const ms = z.number().finite().min(0);
const probability = z.number().min(0).max(1);

/** A latency distribution (`Distribution`), checked as `parseDistribution` checks the text form. */
const distributionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), ms }),
  z
    .object({ kind: z.literal('uniform'), minMs: ms, maxMs: ms })
    .refine((d) => d.minMs <= d.maxMs, { message: 'expected maxMs ≥ minMs', path: ['maxMs'] }),
  z
    .object({
      kind: z.literal('lognormal'),
      medianMs: ms,
      sigma: z.number().finite().min(0),
      maxMs: ms.optional(),
    })
    // A cap below the median is most likely the two given the wrong way round.
    .refine((d) => d.maxMs === undefined || d.maxMs >= d.medianMs, {
      message: 'expected maxMs ≥ medianMs',
      path: ['maxMs'],
    }),
  z.object({ kind: z.literal('empirical'), ms: z.array(ms).min(1) }),
]);

const jobLatency = z.object({
  queue: distributionSchema,
  duration: distributionSchema,
  failRate: probability.optional(),
  incompleteRate: probability.optional(),
  requiresActionRate: probability.optional(),
});

const byModel = z.record(
  z.string(),
  z.object({ run: jobLatency.optional(), response: jobLatency.optional() }),
);

// Each job kind's fields given replace its defaults one by one (a fail rate alone keeps the default
// durations), so they are all optional here; a per-model override is used whole.
const latency = z
  .object({
    request: distributionSchema,
    completion: distributionSchema,
    run: jobLatency.partial(),
    response: jobLatency.partial(),
    batch: z
      .object({
        validating: distributionSchema,
        inProgress: distributionSchema,
        finalizing: distributionSchema,
        cancelling: distributionSchema,
        failRate: probability.optional(),
      })
      .partial(),
    fileBatch: jobLatency.partial(),
    runCancelling: distributionSchema,
    byModel: byModel.optional(),
  })
  .partial();

const faultWindow = z
  .object({
    kind: z.enum(['server_error', 'overloaded', 'insufficient_quota', 'latency']),
    fromMs: ms,
    toMs: ms,
    latencyMs: ms.optional(),
  })
  .refine((w) => w.toMs >= w.fromMs, { message: 'expected toMs ≥ fromMs', path: ['toMs'] });

/** A clock given in code (the `Clock` port): an object with `now` and `sleep` functions. */
export const clockSchema = z.custom<unknown>(
  (c) =>
    typeof c === 'object' &&
    c !== null &&
    typeof (c as { now?: unknown }).now === 'function' &&
    typeof (c as { sleep?: unknown }).sleep === 'function',
  { message: 'expected a clock: { now(), sleep(ms, signal?) } (clockFromTimers adapts fake timers)' },
);

// Not strict: TypeScript lets a variable with more fields through, and such code works today.
const optionsSchema = z.object({
  tier: z.enum(TIERS).optional(),
  limits: limitsFileSchema.optional(),
  seed: z.number().int().min(0).optional(),
  clock: clockSchema.optional(),
  baseURL: z
    .string()
    .refine((url) => URL.canParse(url), {
      message: 'expected an absolute URL, such as https://api.openai.com/v1',
    })
    .optional(),
  limiter: z
    .object({
      algorithm: z.enum(['token-bucket', 'fixed-window', 'sliding-window']).optional(),
      countFailedRequests: z.boolean().optional(),
      quantization: z
        .union([
          z.literal(false),
          z.object({ quantumMs: z.number().refine(isQuantum, { message: QUANTUM_EXPECTED }) }),
        ])
        .optional(),
    })
    .optional(),
  headers: z
    .object({
      rateLimit: z.enum(['always', 'success-only', 'never']).optional(),
      retryAfter: z.boolean().optional(),
      retryAfterMs: z.boolean().optional(),
      pollAfterMs: ms.optional(),
    })
    .optional(),
  vectorStoreRpm: z.number().finite().positive().optional(),
  latency: latency.optional(),
  latencyByModel: byModel.optional(),
  faults: z
    .object({
      serverErrorRate: probability.optional(),
      overloadedRate: probability.optional(),
      insufficientQuotaRate: probability.optional(),
      latencySpikeRate: probability.optional(),
      latencySpike: distributionSchema.optional(),
      quotaShouldRetryFalse: z.boolean().optional(),
      windows: z.array(faultWindow).optional(),
    })
    .optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  maxUploadBytes: z.number().int().positive().optional(),
  record: z.boolean().optional(),
  orderSimultaneousRequests: z.boolean().optional(),
  countedRoutes: z
    .record(
      z.string().refine((r) => (ROUTE_IDS as readonly string[]).includes(r), {
        message: `expected a route id such as runs.retrieve (${ROUTE_IDS.join(', ')})`,
      }),
      z.custom<boolean | string>((v) => typeof v === 'boolean' || (typeof v === 'string' && v !== ''), {
        message: 'expected true, false (not counted) or the model to count against',
      }),
    )
    .optional(),
});

/**
 * What is wrong with mock options given in code, as `FIELD: expected …; got …`, or `undefined` when
 * nothing is. Organization ids and API keys are checked apart (`credentials.ts`), and so are the models
 * `countedRoutes` names (against the limits in force).
 */
export function mockOptionsProblem(options: unknown): string | undefined {
  return schemaProblem(optionsSchema, options, 'the mock options');
}
