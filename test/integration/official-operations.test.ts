import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import { ALL_ROUTES } from '../../src/server/mock-core.ts';
import { OFFICIAL_OPERATIONS, type OfficialOperation } from '../../src/server/routes/official-operations.ts';
import { OPENAPI_PATH } from '../helpers/openapi.ts';

const TABLE = fileURLToPath(new URL('../../src/server/routes/official-operations.ts', import.meta.url));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Parameters written msw's way, and not by name: the mock and the spec may name them differently. */
const shape = (path: string) => path.replace(/[:{][a-z_]+}?/g, ':');

/** Every operation in the official spec's `paths`, as the table lists them. */
function operationsFromSpec(): OfficialOperation[] {
  const spec = parse(readFileSync(OPENAPI_PATH, 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const operations: OfficialOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const id = operation.operationId ?? `${method} ${path}`;
      operations.push([method.toUpperCase(), path.replace(/\{([^}]+)\}/g, ':$1'), id]);
    }
  }
  return operations;
}

function render(operations: readonly OfficialOperation[]): string {
  const rows = operations.map(([method, path, id]) => `  ['${method}', '${path}', '${id}'],`);
  return `${[
    '// Generated from the official OpenAPI document (../shared/reference/openai-openapi.yaml, `paths`) by',
    '// test/integration/official-operations.test.ts. Regenerate with',
    '// UPDATE_GOLDEN=1 npx vitest run test/integration/official-operations.test.ts && npx biome check --write src',
    '',
    "/** One operation of OpenAI's API: method, path under `/v1` with msw-style `:params`, `operationId`. */",
    'export type OfficialOperation = readonly [method: string, path: string, operationId: string];',
    '',
    '/**',
    " * Every operation of OpenAI's API, so that the mock can tell a request for one it does not implement",
    ' * from a URL that does not exist.',
    ' */',
    'export const OFFICIAL_OPERATIONS: readonly OfficialOperation[] = [',
    ...rows,
    '];',
  ].join('\n')}\n`;
}

describe('the official API operations the mock knows of', () => {
  test('are exactly those of the official OpenAPI document', () => {
    const fromSpec = operationsFromSpec();
    if (process.env.UPDATE_GOLDEN) writeFileSync(TABLE, render(fromSpec));
    expect(OFFICIAL_OPERATIONS).toEqual(fromSpec);
    expect(fromSpec.length).toBeGreaterThan(200);
  });

  test('include every route the mock implements, with the same method and path', () => {
    const official = new Set(OFFICIAL_OPERATIONS.map(([method, path]) => `${method} ${shape(path)}`));
    const missing = ALL_ROUTES.map((r) => `${r.method} ${shape(r.path)}`).filter((r) => !official.has(r));
    expect(missing).toEqual([]);
  });

  test('one the mock does not implement gets a 404 that says so; a URL that does not exist, the API’s own', () => {
    const { core } = createMockOpenAI({ tier: '1', seed: 1, clock: { now: () => 0, sleep: async () => {} } });
    const call = (method: string, path: string) =>
      core.handle({ method, path, authorization: 'Bearer sk-test', body: {} });
    const listBatches = call('GET', '/batches');
    expect(listBatches.status).toBe(404);
    expect(listBatches.body).toEqual({
      error: {
        message:
          "pollbench's mock does not implement GET /v1/batches (listBatches), an operation of OpenAI's API.",
        type: 'invalid_request_error',
        param: null,
        code: 'not_implemented_by_mock',
      },
    });
    const audio = call('POST', '/audio/speech').body as { error: { message: string } };
    expect(audio.error.message).toContain('POST /v1/audio/speech (createSpeech)');
    expect(call('GET', '/no/such/thing').body).toMatchObject({
      error: { message: 'Invalid URL (GET /v1/no/such/thing)' },
    });
    expect(call('PUT', '/responses').status).toBe(405);
    expect(core.requests).toHaveLength(4);
  });
});
