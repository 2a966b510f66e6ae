import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import { ALL_ROUTES } from '../../src/server/mock-core.ts';
import { fcSeed } from '../helpers/seed.ts';

let now = 0;
const clock = { now: () => now, sleep: async () => undefined };

function freshMock() {
  const mock = createMockOpenAI({ tier: 'free', seed: 1, clock, apiKeys: { 'sk-good': 'org-a' } });
  const call = (method: string, path: string, body?: unknown) =>
    mock.core.handle({ method, path, authorization: 'Bearer sk-good', body });
  const assistant = call('POST', '/assistants', { model: 'gpt-3.5-turbo' }).body as { id: string };
  const thread = call('POST', '/threads', {}).body as { id: string };
  const store = call('POST', '/vector_stores', {}).body as { id: string };
  return { mock, assistant: assistant.id, thread: thread.id, store: store.id };
}

/** Everything observable about the mock's state, to check a rejected request changed nothing. */
function snapshot(mock: ReturnType<typeof freshMock>['mock']) {
  const s = mock.core.state;
  return JSON.stringify({
    sizes: [
      s.files.size,
      s.assistants.size,
      s.threads.size,
      s.runs.size,
      s.responses.size,
      s.batches.size,
      s.vectorStores.size,
      s.fileBatches.size,
      s.jobs.length,
    ],
    messages: [...s.threads.values()].map((t) => t.messages.length),
    budget: mock.core.limitsFor('gpt-3.5-turbo') && mock.core.state.jobs.length,
  });
}

const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string()),
);

describe(`malformed requests (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  test.prop([
    fc.constantFrom(
      '/chat/completions',
      '/embeddings',
      '/responses',
      '/batches',
      '/assistants',
      '/threads/runs',
      'THREAD/messages',
      'THREAD/runs',
      '/vector_stores',
      'STORE/file_batches',
    ),
    fc.oneof(
      fc.record({
        kind: fc.constant('auth' as const),
        authorization: fc.oneof(
          fc.constant(''),
          fc.constant('Basic abc'),
          fc.constant('Bearer sk-bad'),
          // Names every object has: must not authenticate through the prototype.
          fc.constantFrom('Bearer constructor', 'Bearer __proto__', 'Bearer toString', 'Bearer valueOf'),
          fc.string({ maxLength: 8 }),
        ),
      }),
      fc.record({ kind: fc.constant('bad-json' as const) }),
      fc.record({ kind: fc.constant('too-large' as const) }),
      fc.record({
        kind: fc.constant('fields' as const),
        body: fc.dictionary(
          fc.constantFrom(
            'model',
            'messages',
            'input',
            'role',
            'content',
            'assistant_id',
            'endpoint',
            'name',
            'metadata',
            'file_ids',
            'files',
          ),
          junk,
        ),
      }),
    ),
  ])('get the right 4xx, in OpenAI’s envelope, and change no state', (rawPath, bad) => {
    now += 1;
    const ctx = freshMock();
    const path = rawPath
      .replace('THREAD', `/threads/${ctx.thread}`)
      .replace('STORE', `/vector_stores/${ctx.store}`);
    const before = snapshot(ctx.mock);
    const request = {
      method: 'POST',
      path,
      authorization: bad.kind === 'auth' ? bad.authorization : 'Bearer sk-good',
      body: bad.kind === 'fields' ? bad.body : undefined,
      bodyError:
        bad.kind === 'bad-json'
          ? ('malformed-json' as const)
          : bad.kind === 'too-large'
            ? ('too-large' as const)
            : undefined,
    };
    const answer = ctx.mock.core.handle(request);
    expect(answer.status).toBeLessThan(500);
    if (answer.status === 200) {
      // Generated fields can form a valid request by chance; only malformed ones are checked.
      expect(bad.kind).toBe('fields');
      return;
    }
    const expected = { auth: [401], 'bad-json': [400], 'too-large': [413], fields: [400, 404] }[bad.kind];
    expect(expected).toContain(answer.status);
    const error = (answer.body as { error: Record<string, unknown> }).error;
    expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(typeof error.message).toBe('string');
    expect(snapshot(ctx.mock)).toBe(before);
  });

  test.prop([fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'), fc.webPath()])(
    'unknown paths and methods get 404 or 405, never a throw',
    (method, path) => {
      const ctx = freshMock();
      const answer = ctx.mock.core.handle({
        method,
        path: path.startsWith('/') ? path : `/${path}`,
        authorization: 'Bearer sk-good',
      });
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(500);
    },
  );

  const withIds = ALL_ROUTES.filter((route) => route.path.includes('/:'));
  test.prop([
    fc.constantFrom(...withIds),
    // Ids as a client might mangle them: malformed escapes (`%`, `%zz`, `%E0%A4%A`) included.
    fc.array(fc.stringMatching(/^(?:%[0-9A-Fa-f]{0,2}|[0-9A-Za-z._~-]){1,6}$/), {
      minLength: 4,
      maxLength: 4,
    }),
  ])('any id in a route’s path gets an answer below 500 and changes no state', (route, ids) => {
    const ctx = freshMock();
    let i = 0;
    const path = route.path.replace(/:[a-z_]+/g, () => ids[i++] as string);
    const before = snapshot(ctx.mock);
    const answer = ctx.mock.core.handle({
      method: route.method,
      path,
      authorization: 'Bearer sk-good',
      body: {},
    });
    expect(answer.status, `${route.method} ${path}`).toBeLessThan(500);
    if (answer.status === 200) return;
    expect(Object.keys((answer.body as { error: object }).error).sort()).toEqual([
      'code',
      'message',
      'param',
      'type',
    ]);
    expect(snapshot(ctx.mock)).toBe(before);
  });
});
