import { expect, test } from 'vitest';
import { InputFileError, parseLimitsTable, parseYamlFile } from '../../src/server/limits/limits-file.ts';

const messageOf = (raw: unknown) => {
  try {
    parseLimitsTable('limits.yaml', raw);
  } catch (error) {
    if (error instanceof InputFileError) return error.message;
    throw error;
  }
  return 'accepted';
};

test('a misspelt field names the one it was meant to be, the outermost first', () => {
  const table = { name: 'org', asOf: '2026-11', source: 'our page' };
  expect(messageOf({ ...table, models: { 'gpt-4o': { rpn: 500 } } })).toBe(
    "limits.yaml: models.gpt-4o: unknown field 'rpn' (did you mean 'rpm'?)",
  );
  // 'modles' also leaves 'models' missing; the typo is what to fix.
  expect(messageOf({ ...table, modles: { 'gpt-4o': { rpm: 500 } } })).toBe(
    "limits.yaml: unknown field 'modles' (did you mean 'models'?)",
  );
  expect(messageOf({ ...table, models: { 'gpt-4o': { rpm: 500 } } })).toBe('accepted');
});

test('a limits file whose aliases expand too far is a file error, not a crash', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
    .concat(['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`))
    .join('\n');
  expect(() => parseYamlFile('limits.yaml', bomb)).toThrow(InputFileError);
  expect(() => parseYamlFile('limits.yaml', bomb)).toThrow(
    'limits.yaml: not valid YAML/JSON: Excessive alias count',
  );
  // Aliases within the limit still work.
  expect(parseYamlFile('limits.yaml', 'a: &a 5\nb: *a\n')).toEqual({ a: 5, b: 5 });
});
