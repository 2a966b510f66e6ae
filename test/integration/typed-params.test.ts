import { describe, expect, test } from 'vitest';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import type { RouteId } from '../../src/server/routes/route.ts';
import { TYPED_PARAMS, typedParamError } from '../../src/server/routes/typed-params.ts';
import { validateAgainst } from '../helpers/openapi.ts';

/** Each route's request schema in the official document, and a smallest body it accepts. */
const REQUESTS: Readonly<Record<string, { schema: string; body: Record<string, unknown> }>> = {
  'responses.create': { schema: 'CreateResponse', body: { model: 'gpt-4o', input: 'hi' } },
  'chat.completions.create': {
    schema: 'CreateChatCompletionRequest',
    body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
  },
  'runs.create': { schema: 'CreateRunRequest', body: { assistant_id: 'asst_1' } },
  'threads.createAndRun': { schema: 'CreateThreadAndRunRequest', body: { assistant_id: 'asst_1' } },
};

describe('the parameters the mock acts on are typed as the official schemas type them', () => {
  const cases = Object.entries(TYPED_PARAMS).flatMap(([route, rules]) =>
    Object.entries(rules ?? {}).flatMap(([name, rule]) => {
      const values: unknown[] =
        rule.type === 'boolean'
          ? [true, false, null, 'yes', 1]
          : [rule.minimum ?? 0, (rule.minimum ?? 0) + 1, null, 1.5, '300', true];
      if (rule.minimum !== undefined) values.push(rule.minimum - 1);
      return values.map((value) => ({ route, name, value }));
    }),
  );

  test.each(cases)('$route $name: $value', ({ route, name, value }) => {
    const request = REQUESTS[route];
    if (request === undefined) throw new Error(`no request schema listed for ${route}`);
    const body = { ...request.body, [name]: value };
    const schemaAccepts = validateAgainst(request.schema, body).length === 0;
    const error = typedParamError(route as RouteId, body);
    expect(error === undefined).toBe(schemaAccepts);
    if (error !== undefined) {
      expect(error.status).toBe(400);
      expect(error.body.error).toMatchObject({ param: name, code: 'invalid_value' });
    }
  });
});

test('a mistyped background is a 400 that changes nothing, not a synchronous response', () => {
  const { core } = createMockOpenAI({ tier: '1', seed: 1, clock: { now: () => 0, sleep: async () => {} } });
  const answer = core.handle({
    method: 'POST',
    path: '/responses',
    authorization: 'Bearer sk-test',
    body: { model: 'gpt-4o', input: 'hi', background: 'yes' },
  });
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({
    error: {
      message: "Invalid 'background': expected a boolean or null.",
      type: 'invalid_request_error',
      param: 'background',
      code: 'invalid_value',
    },
  });
  expect(core.state.responses.size).toBe(0);
  expect(answer.record.remainingRequests).toBeUndefined(); // refused before the limiter
});
