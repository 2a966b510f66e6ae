import { describe, expect, test } from 'vitest';
import { createMockOpenAI } from '../../src/index.ts';
import { REMEMBERED } from '../../src/server/bounded-memory.ts';

// The mock remembers per-path and per-header work; past REMEMBERED distinct values it forgets and
// starts afresh. Forgetting must change no answer.
describe('the mock’s bounded memories', () => {
  let now = 0;
  const clock = { now: () => now, sleep: async () => undefined };

  test('a path’s GET latency is the same after the memory of latencies was cleared', () => {
    const mock = createMockOpenAI({ tier: '1', clock, seed: 3 });
    const ask = (method: string, path: string, body?: unknown) =>
      mock.core.handle({ method, path, authorization: 'Bearer sk-a', body });
    const created = ask('POST', '/responses', { model: 'gpt-4.1', input: 'hi', background: true });
    expect(created.status).toBe(200);
    const path = `/responses/${(created.body as { id: string }).id}`;
    const before = ask('GET', path);
    for (let i = 0; i <= REMEMBERED; i++, now++) ask('GET', `/nowhere/${i}`);
    const after = ask('GET', path);
    expect(after.status).toBe(200);
    expect(after.delayMs).toBe(before.delayMs);
  });

  test('keys authenticate the same after the memory of keys was cleared', () => {
    const open = createMockOpenAI({ clock, seed: 3 }); // no apiKeys: every well-formed key is accepted
    const models = (authorization: string) =>
      open.core.handle({ method: 'GET', path: '/models', authorization });
    const organization = models('Bearer sk-first').headers['openai-organization'];
    expect(organization).toEqual(expect.any(String));
    for (let i = 0; i <= REMEMBERED; i++) models(`Bearer sk-${i}`);
    expect(models('Bearer sk-first').headers['openai-organization']).toBe(organization);
    expect(models('Basic sk-first').status).toBe(401);
  });
});
