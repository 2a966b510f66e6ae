import { readFileSync } from 'node:fs';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { firstIssue, issueExpected } from '../../core/input-issue.ts';
import type { LimitsTable } from './types.ts';

const positive = z.number().positive().finite();
/** One model's limits: each optional, each a positive number. A summary's `limits` has this shape too. */
export const modelLimitsShape = {
  rpm: positive.optional(),
  rpd: positive.optional(),
  tpm: positive.optional(),
  tpd: positive.optional(),
  ipm: positive.optional(),
  batchQueueTokens: positive.optional(),
};
const modelLimitsSchema = z.object(modelLimitsShape).strict();

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

/** A YAML document as read: its tree (for the lines of fields), its line index and its value. */
export interface YamlFile {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly raw: unknown;
}

/**
 * Parses YAML (a superset of JSON). A syntax error is reported with its line, and so is a document
 * whose aliases would expand past the yaml library's limit (`maxAliasCount`, 100: a few lines of
 * nested aliases can stand for billions of nodes), which the library throws as a bare `ReferenceError`
 * when the value is built.
 * @param kind - what the message says the file is not valid as, e.g. `YAML` or `YAML/JSON`
 * @throws {@link InputFileError}
 */
export function parseYamlDocument(file: string, text: string, kind: string): YamlFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const first = doc.errors[0];
  if (first !== undefined) {
    throw new InputFileError(
      file,
      '',
      `not valid ${kind}: ${first.message.split('\n')[0]}`,
      lines.linePos(first.pos[0]).line,
    );
  }
  try {
    return { doc, lines, raw: doc.toJS() };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new InputFileError(file, '', `not valid ${kind}: ${error.message.split('\n')[0]}`);
  }
}

/** {@link parseYamlDocument}'s value, for a file whose fields need no line numbers. */
export function parseYamlFile(file: string, text: string): unknown {
  return parseYamlDocument(file, text, 'YAML/JSON').raw;
}

/**
 * Turns the first zod issue (an unknown field first: see {@link firstIssue}) into an {@link InputFileError}
 * naming the field path. `what`: what the file should hold, said when it is not a mapping at all;
 * `schema`: the one that failed, for the field a misspelt one was meant to be.
 */
export function zodToFileError(
  file: string,
  error: z.ZodError,
  raw: unknown,
  what = 'a limits table (name, models, …) as in the README',
  schema: z.ZodType = limitsFileSchema,
): InputFileError {
  const issue = firstIssue(error);
  return new InputFileError(
    file,
    issue?.path.map(String).join('.') ?? '',
    issueExpected(issue, raw, what, schema),
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
