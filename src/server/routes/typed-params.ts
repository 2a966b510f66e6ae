import { type ErrorAnswer, openAIErrors } from '../errors.ts';
import type { RouteId } from './route.ts';

/** The type a parameter must have, and its least value for an integer. `null` is always allowed. */
export interface ParamRule {
  readonly type: 'boolean' | 'integer';
  /** @defaultValue none */
  readonly minimum?: number | undefined;
}

const BOOLEAN: ParamRule = { type: 'boolean' };
const INTEGER: ParamRule = { type: 'integer' };
/** Runs' token caps: `minimum: 256` in CreateRunRequest and CreateThreadAndRunRequest. */
const RUN_PARAMS: Readonly<Record<string, ParamRule>> = {
  stream: BOOLEAN,
  max_completion_tokens: { type: 'integer', minimum: 256 },
  max_prompt_tokens: { type: 'integer', minimum: 256 },
};

/**
 * The body parameters whose value changes what the mock does or charges (`background` makes a response
 * a job to poll, `store` decides whether it can still be polled ten minutes after it ends, the token
 * caps set the tokens charged, `stream` is refused), with their type and minimum as the official OpenAPI
 * schemas give them (`test/integration/typed-params.test.ts` checks them against the schemas). A value of
 * another type would otherwise be read as absent: `background: "yes"` would run a synchronous response
 * that holds the connection for its whole duration.
 */
export const TYPED_PARAMS: Readonly<Partial<Record<RouteId, Readonly<Record<string, ParamRule>>>>> = {
  'responses.create': {
    background: BOOLEAN,
    store: BOOLEAN,
    stream: BOOLEAN,
    max_output_tokens: { type: 'integer', minimum: 16 },
  },
  'chat.completions.create': {
    stream: BOOLEAN,
    store: BOOLEAN,
    max_tokens: INTEGER,
    max_completion_tokens: INTEGER,
  },
  'runs.create': RUN_PARAMS,
  'threads.createAndRun': RUN_PARAMS,
};

// Listed once: every create request is checked.
const RULE_LISTS = new Map(
  Object.entries(TYPED_PARAMS).map(([route, rules]) => [route as RouteId, Object.entries(rules ?? {})]),
);

/** The 400 for the first parameter of `body` that breaks its route's {@link TYPED_PARAMS}, if any. */
export function typedParamError(route: RouteId, body: Record<string, unknown>): ErrorAnswer | undefined {
  const rules = RULE_LISTS.get(route);
  if (rules === undefined) return undefined;
  for (const [name, rule] of rules) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    const ok =
      rule.type === 'boolean'
        ? typeof value === 'boolean'
        : Number.isSafeInteger(value) && (rule.minimum === undefined || (value as number) >= rule.minimum);
    if (!ok) {
      const expected =
        rule.type === 'boolean'
          ? 'a boolean'
          : `an integer${rule.minimum === undefined ? '' : ` ≥ ${rule.minimum}`}`;
      return openAIErrors.invalidValue(name, `Invalid '${name}': expected ${expected} or null.`);
    }
  }
  return undefined;
}
