import type { z } from 'zod';
import { didYouMean } from './did-you-mean.ts';

/**
 * What to say of a document that is not a mapping at all (an empty file, a list), instead of zod's
 * "expected object, received null". `what`: the fields it should hold.
 */
function notAMapping(raw: unknown, what: string): string {
  return `${raw === null || raw === undefined ? 'the file is empty' : 'not a mapping'}: expected ${what}`;
}

/** zod's type names, as a person who wrote the file would say them. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/**
 * What is wrong with `value` by `schema`, as `FIELD: expected …; got …` (just `expected …` at the top),
 * or `undefined` when nothing is: the first issue ({@link firstIssue}) in the user's words
 * ({@link issueExpected}). `what`: what the value should be, said when it is not a mapping at all.
 */
export function schemaProblem(schema: z.ZodType, value: unknown, what: string): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = firstIssue(result.error);
  const field = issue?.path.map(String).join('.') ?? '';
  const expected = issueExpected(issue, value, what, schema);
  return field === '' ? expected : `${field}: ${expected}`;
}

/**
 * The issue to tell the user about: an unknown field before anything else, since it is most often a
 * misspelt one that the other issues (a field missing) follow from; otherwise zod's first.
 */
export function firstIssue(error: z.ZodError): z.core.$ZodIssue | undefined {
  let unknown: z.core.$ZodIssue | undefined;
  // The outermost first: a misspelt section name explains the issues inside it.
  for (const issue of error.issues)
    if (
      issue.code === 'unrecognized_keys' &&
      (unknown === undefined || issue.path.length < unknown.path.length)
    )
      unknown = issue;
  return unknown ?? error.issues[0];
}

/**
 * What a file's first zod issue expected, in the user's terms and in one shape, "expected …; got …"
 * (as the command-line flags say it): unknown fields by name, a missing field as missing, and for a
 * document that is not a mapping at all, `what` it should hold (see {@link notAMapping}). zod's own
 * wording ("Too small: expected number to be >=1") is kept only for issues not rewritten here.
 */
export function issueExpected(
  issue: z.core.$ZodIssue | undefined,
  raw: unknown,
  what: string,
  schema?: z.ZodType,
): string {
  if (issue === undefined) return 'invalid value';
  if (issue.path.length === 0 && issue.code === 'invalid_type') return notAMapping(raw, what);
  if (issue.code === 'unrecognized_keys') {
    const known = schema === undefined ? [] : fieldsAt(schema, issue.path);
    const hint = didYouMean(
      issue.keys[0] ?? '',
      known.filter((k) => !hasField(raw, issue.path, k)),
    );
    return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}${hint}`;
  }
  const value = valueAt(raw, issue.path);
  const got = `; got ${shown(value)}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      // zod says "expected string, received undefined" of a field that is simply not there.
      return value === undefined ? `missing (expected ${expected})` : `expected ${expected}${got}`;
    }
    case 'too_small':
      if (issue.origin === 'number')
        return `expected a number ${issue.inclusive ? '≥' : '>'} ${issue.minimum}${got}`;
      if (issue.origin === 'int')
        return `expected an integer ${issue.inclusive ? '≥' : '>'} ${issue.minimum}${got}`;
      if (issue.origin === 'array')
        return `expected at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}${got}`;
      if (issue.origin === 'string')
        return `expected at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}${got}`;
      break;
    case 'too_big':
      if (issue.origin === 'number')
        return `expected a number ${issue.inclusive ? '≤' : '<'} ${issue.maximum}${got}`;
      // `.int()` bounds a number to the safe integers: past 2⁵³ two values would be one.
      if (issue.origin === 'int')
        return `expected an integer ${issue.inclusive ? '≤' : '<'} ${issue.maximum}${got}`;
      break;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => shown(v)).join(', ')}${got}`;
    case 'invalid_union': {
      // A discriminated union names the values its discriminator takes.
      const options = (issue as { options?: unknown }).options;
      return Array.isArray(options)
        ? `expected one of ${options.map((v) => shown(v)).join(', ')}${got}`
        : `invalid value${got}`;
    }
    case 'invalid_key':
      return issue.issues[0]?.message ?? issue.message;
  }
  return issue.message;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[key];
  return value;
}

/** A value as the file wrote it: strings quoted, lists and mappings by kind (they may be long). */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}

/** zod's wrappers that hold one schema: seen through to find the fields of a mapping. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType | undefined) => (schema as { def?: SchemaDef } | undefined)?.def;

function unwrapped(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let def = defOf(current); def !== undefined; def = defOf(current)) {
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else break;
  }
  return current;
}

/**
 * The field names the mapping at `path` of `schema` allows, or none where the schema is not a plain
 * mapping there (a union, say): only a hint for a misspelt field depends on it.
 */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrapped(schema);
  for (const key of path) {
    const def = defOf(current);
    if (def === undefined) return [];
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
    current = unwrapped(current);
  }
  const def = defOf(current);
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function hasField(raw: unknown, path: readonly PropertyKey[], field: string): boolean {
  const at = valueAt(raw, path);
  return at !== null && typeof at === 'object' && Object.hasOwn(at, field);
}
