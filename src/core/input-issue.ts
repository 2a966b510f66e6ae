import type { z } from 'zod';

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
 * What a file's first zod issue expected, in the user's terms and in one shape, "expected …; got …"
 * (as the command-line flags say it): unknown fields by name, a missing field as missing, and for a
 * document that is not a mapping at all, `what` it should hold (see {@link notAMapping}). zod's own
 * wording ("Too small: expected number to be >=1") is kept only for issues not rewritten here.
 */
export function issueExpected(issue: z.core.$ZodIssue | undefined, raw: unknown, what: string): string {
  if (issue === undefined) return 'invalid value';
  if (issue.path.length === 0 && issue.code === 'invalid_type') return notAMapping(raw, what);
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
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
      if (issue.origin === 'array') return `expected at least ${issue.minimum} item(s)${got}`;
      if (issue.origin === 'string') return `expected at least ${issue.minimum} character(s)${got}`;
      break;
    case 'too_big':
      if (issue.origin === 'number')
        return `expected a number ${issue.inclusive ? '≤' : '<'} ${issue.maximum}${got}`;
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
