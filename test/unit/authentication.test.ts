import { describe, expect, test } from 'vitest';
import { createMockOpenAI } from '../../src/index.ts';

const clock = { now: () => 0, sleep: async () => undefined };
const mock = () => createMockOpenAI({ clock, seed: 1, apiKeys: { 'sk-a': 'org-a', 'sk-b': 'org-b' } });
const models = (m: ReturnType<typeof mock>, authorization: string) =>
  m.core.handle({ method: 'GET', path: '/models', authorization });

describe('the mock authenticates the Authorization header', () => {
  test('each key gets its organization, every time (the parse is remembered per header value)', () => {
    const m = mock();
    for (let i = 0; i < 3; i++) {
      for (const [key, organization] of [
        ['sk-a', 'org-a'],
        ['sk-b', 'org-b'],
      ] as const) {
        const answer = models(m, `Bearer ${key}`);
        expect(answer.status).toBe(200);
        expect(answer.headers['openai-organization']).toBe(organization);
      }
    }
  });

  test('a refused key stays refused after others were accepted, and is not remembered as accepted', () => {
    const m = mock();
    expect(models(m, 'Bearer sk-a').status).toBe(200);
    for (let i = 0; i < 2; i++) expect(models(m, 'Bearer sk-c').status).toBe(401);
    expect(models(m, 'Bearer sk-a').status).toBe(200);
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    '`%s`, a name every object has, is an unknown key',
    (key) => {
      const answer = models(mock(), `Bearer ${key}`);
      expect(answer.status).toBe(401);
      expect((answer.body as { error: { code: string } }).error.code).toBe('invalid_api_key');
      expect(answer.headers['openai-organization']).toBeUndefined();
    },
  );
});

describe('the organization ids and keys the mock is given', () => {
  // Sent in headers on every request and answer: a value no header carries would fail them all.
  test.each([
    [{ organization: '' }, 'organization: expected an id of printable ASCII characters'],
    [{ organization: 'org-a\r\nx-injected: 1' }, 'got "org-a\\r\\nx-injected: 1"'],
    [{ organization: ' org-a' }, 'with no space at either end'],
    [{ organization: 'org-€' }, 'organization: expected'],
    [{ apiKeys: { 'sk a': 'org-a' } }, 'apiKeys["sk a"]: expected a key of printable ASCII characters'],
    [{ apiKeys: { 'sk-a': '' } }, 'apiKeys["sk-a"]: expected an id of printable ASCII characters'],
  ])('%j is refused when the mock is made, with what was expected', (options, message) => {
    expect(() => createMockOpenAI({ clock, ...options })).toThrow(RangeError);
    expect(() => createMockOpenAI({ clock, ...options })).toThrow(message);
  });

  test('inner spaces and punctuation are kept as given in the header', () => {
    const m = createMockOpenAI({ clock, organization: 'My Org (test)' });
    expect(models(m, 'Bearer sk-x').headers['openai-organization']).toBe('My Org (test)');
  });
});
