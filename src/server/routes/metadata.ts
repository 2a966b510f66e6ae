import { type ErrorAnswer, openAIErrors } from '../errors.ts';

/**
 * OpenAPI `Metadata` (openai-openapi.yaml, `components.schemas.Metadata`): "Set of 16 key-value pairs …
 * Keys are strings with a maximum length of 64 characters. Values are strings with a maximum length of
 * 512 characters", or null.
 */
export const METADATA_LIMITS = { pairs: 16, keyChars: 64, valueChars: 512 } as const;

/** What the API names a JSON value's type in "expected …, but got … instead". */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The `metadata` of a create request (`param`: its name in messages, e.g. `thread.metadata`), checked
 * against {@link METADATA_LIMITS}: `undefined` when it is absent or null, a copy of the pairs when they
 * are valid, else the 400 to answer. Kept and echoed by the objects that have it, so that code which
 * tags its jobs (a file name on each background response) reads its tags back from the mock as from
 * the API.
 *
 * The messages are the mock's own, modelled on the API's other parameter errors ("Invalid 'messages':
 * empty array. Expected an array with minimum length 1, …", sync-routes): OpenAI's for metadata are not
 * in the reference facts. The status, type, param and code are its usual ones.
 */
export function metadataOf(
  body: Readonly<Record<string, unknown>>,
  param = 'metadata',
): { readonly metadata: Readonly<Record<string, string>> | undefined } | { readonly error: ErrorAnswer } {
  const raw = body.metadata;
  if (raw === undefined || raw === null) return { metadata: undefined };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return {
      error: openAIErrors.invalidType(
        param,
        `Invalid type for '${param}': expected an object, but got ${typeName(raw)} instead.`,
      ),
    };
  const entries = Object.entries(raw);
  if (entries.length > METADATA_LIMITS.pairs)
    return {
      error: openAIErrors.invalidValue(
        param,
        `Invalid '${param}': too many properties. Expected an object with at most ${METADATA_LIMITS.pairs} properties, but got an object with ${entries.length} properties instead.`,
      ),
    };
  for (const [key, value] of entries) {
    if (key.length > METADATA_LIMITS.keyChars)
      return {
        error: openAIErrors.invalidValue(
          param,
          `Invalid '${param}': key too long. Expected a key with maximum length ${METADATA_LIMITS.keyChars}, but got a key with length ${key.length} instead.`,
        ),
      };
    if (typeof value !== 'string')
      return {
        error: openAIErrors.invalidType(
          `${param}.${key}`,
          `Invalid type for '${param}.${key}': expected a string, but got ${typeName(value)} instead.`,
        ),
      };
    if (value.length > METADATA_LIMITS.valueChars)
      return {
        error: openAIErrors.invalidValue(
          `${param}.${key}`,
          `Invalid '${param}.${key}': string too long. Expected a string with maximum length ${METADATA_LIMITS.valueChars}, but got a string with length ${value.length} instead.`,
        ),
      };
  }
  // fromEntries defines each key as an own property: a key '__proto__' stays a key.
  return { metadata: Object.fromEntries(entries) as Record<string, string> };
}
