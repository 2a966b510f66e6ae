import { z } from 'zod';
import { schemaProblem, shown } from '../core/input-issue.ts';

const doc = z.string();
const nonNegative = z.number().min(0);

/**
 * What a {@link PollerEntry} given to `registerPoller` must hold. An entry written in JavaScript (or cast)
 * can hold anything; checked when it is registered, a wrong default is named there, rather than handed to
 * the poller as `undefined` or shown by `--help` as a default nobody can give.
 */
const paramSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('duration'), default: nonNegative, doc }),
  z
    .strictObject({ kind: z.literal('number'), default: z.number(), min: z.number(), max: z.number(), doc })
    .superRefine((p, ctx) => {
      if (!(p.min <= p.default && p.default <= p.max))
        ctx.addIssue({
          code: 'custom',
          message: `expected min ≤ default ≤ max; got default ${p.default}, min ${p.min}, max ${p.max}`,
        });
    }),
  z
    .strictObject({ kind: z.literal('int'), default: z.int().min(0), min: z.int().min(0), doc })
    .superRefine((p, ctx) => {
      if (p.default < p.min)
        ctx.addIssue({
          code: 'custom',
          message: `expected a default ≥ min; got default ${p.default}, min ${p.min}`,
        });
    }),
  z
    .strictObject({ kind: z.literal('enum'), default: z.string(), values: z.array(z.string()).min(1), doc })
    .superRefine((p, ctx) => {
      if (!p.values.includes(p.default))
        ctx.addIssue({
          code: 'custom',
          message: `expected a default that is one of the values; got '${p.default}', values ${p.values.map((v) => `'${v}'`).join(', ')}`,
        });
    }),
]);

const entrySchema = z
  .strictObject({
    factory: z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
      message: 'expected a function (ctx, params) => Poller',
    }),
    summary: z.string(),
    // A name with a comma, an equals sign or a colon could not be written in a `--poller` spec.
    params: z.record(
      z.string().regex(/^[^\s,=:]+$/, {
        message: "not a name a --poller spec can hold (no spaces, ',', '=' or ':')",
      }),
      paramSpec,
    ),
    main: z.string().optional(),
    check: z
      .custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
        message: 'expected a function (params) => string | undefined',
      })
      .optional(),
  })
  .refine((e) => e.main === undefined || Object.hasOwn(e.params, e.main), {
    message: 'expected the name of one of its params',
    path: ['main'],
  });

/** What is wrong with a poller entry, as `field: expected …; got …`, or `undefined` if nothing is. */
export function entryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null)
    return `expected a poller entry (factory, summary, params); got ${shown(entry)}`;
  return schemaProblem(entrySchema, entry, 'a poller entry (factory, summary, params)');
}
