import { expect, test } from 'vitest';
import { InputFileError, parseLimitsTable } from '../../src/server/limits/limits-file.ts';

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
    "limits.yaml: models.gpt-4o: unknown field(s) 'rpn' (did you mean 'rpm'?)",
  );
  // 'modles' also leaves 'models' missing; the typo is what to fix.
  expect(messageOf({ ...table, modles: { 'gpt-4o': { rpm: 500 } } })).toBe(
    "limits.yaml: unknown field(s) 'modles' (did you mean 'models'?)",
  );
  expect(messageOf({ ...table, models: { 'gpt-4o': { rpm: 500 } } })).toBe('accepted');
});
