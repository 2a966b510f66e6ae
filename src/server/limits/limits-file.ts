import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { LimitsTable } from './types.ts';

const positive = z.number().positive().finite();
const modelLimitsSchema = z
  .object({
    rpm: positive.optional(),
    rpd: positive.optional(),
    tpm: positive.optional(),
    tpd: positive.optional(),
    ipm: positive.optional(),
    batchQueueTokens: positive.optional(),
  })
  .strict();

/** Schema of a custom limits file (YAML or JSON): the numbers on an organization's limits page. */
export const limitsFileSchema = z
  .object({
    name: z.string().min(1).default('custom'),
    asOf: z.string().min(1).default('unknown'),
    source: z.string().min(1).default('user-supplied limits file'),
    models: z.record(z.string().min(1), modelLimitsSchema),
    shared: z.record(z.string().min(1), z.array(z.string().min(1))).optional(),
  })
  .strict();

/** A user mistake in a file: names the file, the field, and what was expected. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  readonly file: string;
  readonly field: string;
  readonly expected: string;
  readonly line: number | undefined;
  constructor(file: string, field: string, expected: string, line?: number) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${field === '' ? '' : `${field}: `}${expected}`);
    this.file = file;
    this.field = field;
    this.expected = expected;
    this.line = line;
  }
}

/** Parses YAML (a superset of JSON) and reports syntax errors with their line. */
export function parseYamlFile(file: string, text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const first = doc.errors[0];
  if (first !== undefined) {
    throw new InputFileError(
      file,
      '',
      `not valid YAML/JSON: ${first.message.split('\n')[0]}`,
      lines.linePos(first.pos[0]).line,
    );
  }
  return doc.toJS();
}

/**
 * What to say of a document that is not a mapping at all (an empty file, a list), instead of zod's
 * "expected object, received null". `what`: the fields it should hold.
 */
export function notAMapping(raw: unknown, what: string): string {
  return `${raw === null || raw === undefined ? 'the file is empty' : 'not a mapping'}: expected ${what}`;
}

/**
 * What a file's first zod issue expected, in the user's terms: unknown fields by name, and for a
 * document that is not a mapping at all, `what` it should hold (see {@link notAMapping}).
 */
export function issueExpected(issue: z.core.$ZodIssue | undefined, raw: unknown, what: string): string {
  if (issue?.path.length === 0 && issue.code === 'invalid_type') return notAMapping(raw, what);
  if (issue?.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  // zod says "expected string, received undefined" of a field that is simply not there.
  if (issue?.code === 'invalid_type' && valueAt(raw, issue.path) === undefined)
    return `missing (expected ${issue.expected})`;
  return issue?.message ?? 'invalid value';
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[key];
  return value;
}

/** Turns the first zod issue into an {@link InputFileError} naming the field path. */
export function zodToFileError(file: string, error: z.ZodError, raw?: unknown): InputFileError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  return new InputFileError(
    file,
    field,
    issueExpected(issue, raw, 'a limits table (name, models, …) as in the README'),
  );
}

/**
 * Reads a custom limits file.
 * @throws {@link InputFileError} naming the file, the field and what was expected.
 */
export function loadLimitsFile(file: string): LimitsTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputFileError(
      file,
      '',
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseLimitsTable(file, parseYamlFile(file, text));
}

/** Validates an already-parsed limits object (from a file or a scenario). */
export function parseLimitsTable(file: string, raw: unknown): LimitsTable {
  const result = limitsFileSchema.safeParse(raw);
  if (!result.success) throw zodToFileError(file, result.error, raw);
  const { shared, ...rest } = result.data;
  return shared === undefined ? rest : { ...rest, shared };
}
