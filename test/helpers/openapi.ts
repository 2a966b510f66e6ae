import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/** The official OpenAPI document, from the shared reference folder beside the repo. */
export const OPENAPI_PATH = fileURLToPath(
  new URL('../../../shared/reference/openai-openapi.yaml', import.meta.url),
);

let ajv: Ajv2020 | undefined;

/**
 * Validates `value` against `components.schemas.<name>` of the official spec. Ajv ignores the spec's
 * vendor keywords (strict off) and understands its OpenAPI `nullable`.
 * @returns the error list, empty when valid.
 */
export function validateAgainst(name: string, value: unknown): string[] {
  if (ajv === undefined) {
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(normalizeNullable(parse(readFileSync(OPENAPI_PATH, 'utf8'))) as object, 'openapi');
  }
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
  if (validate === undefined) throw new Error(`no schema ${name} in the spec`);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The spec is 3.1 but still writes OpenAPI 3.0's `nullable: true`; rewrite it as JSON Schema 2020 says. */
function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) out[key] = normalizeNullable(value);
  if (nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}
