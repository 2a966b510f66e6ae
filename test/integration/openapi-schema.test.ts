import { beforeAll, describe, expect, test } from 'vitest';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import type { MockCore } from '../../src/server/mock-core.ts';
import { validateAgainst } from '../helpers/openapi.ts';

let now = 0;
const clock = { now: () => now, sleep: async () => undefined };
let core: MockCore;
const auth = 'Bearer sk-test';
const call = (
  method: string,
  path: string,
  body?: unknown,
  form?: { fields: Record<string, string>; file?: { name: string; bytes: number } },
) => core.handle({ method, path, authorization: auth, body, form, query: new URLSearchParams() }).body;

describe('response bodies validate against the official OpenAPI schemas', () => {
  const ids: Record<string, string> = {};
  beforeAll(() => {
    core = createMockOpenAI({
      tier: '1',
      seed: 9,
      clock,
      latency: {
        run: { queue: { kind: 'fixed', ms: 1000 }, duration: { kind: 'fixed', ms: 5000 }, failRate: 0 },
      },
    }).core;
    ids.assistant = (call('POST', '/assistants', { model: 'gpt-4o', tools: [] }) as { id: string }).id;
    ids.thread = (call('POST', '/threads', {}) as { id: string }).id;
    ids.message = (
      call('POST', `/threads/${ids.thread}/messages`, { role: 'user', content: 'hi' }) as { id: string }
    ).id;
    ids.run = (
      call('POST', `/threads/${ids.thread}/runs`, { assistant_id: ids.assistant }) as { id: string }
    ).id;
    ids.file = (
      call('POST', '/files', undefined, {
        fields: { purpose: 'batch' },
        file: { name: 'in.jsonl', bytes: 2000 },
      }) as { id: string }
    ).id;
    ids.batch = (
      call('POST', '/batches', {
        input_file_id: ids.file,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }) as { id: string }
    ).id;
    ids.response = (
      call('POST', '/responses', { model: 'gpt-4o', input: 'hi', background: true }) as { id: string }
    ).id;
  });

  test.each([
    ['ListModelsResponse', () => call('GET', '/models')],
    ['Model', () => call('GET', '/models/gpt-4o')],
    [
      'CreateChatCompletionResponse',
      () =>
        call('POST', '/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    ],
    [
      'CreateEmbeddingResponse',
      () => call('POST', '/embeddings', { model: 'text-embedding-3-small', input: 'hi' }),
    ],
    [
      'ImagesResponse',
      () => call('POST', '/images/generations', { model: 'dall-e-3', prompt: 'a hearing room', n: 2 }),
    ],
    ['OpenAIFile', () => call('GET', `/files/${ids.file}`)],
    ['AssistantObject', () => call('GET', `/assistants/${ids.assistant}`)],
    ['ThreadObject', () => call('GET', `/threads/${ids.thread}`)],
    ['RunObject', () => call('GET', `/threads/${ids.thread}/runs/${ids.run}`)],
    ['Batch', () => call('GET', `/batches/${ids.batch}`)],
    ['Response', () => call('GET', `/responses/${ids.response}`)],
    ['ErrorResponse', () => call('GET', '/threads/thread_nope')],
  ])('%s', (schema, produce) => {
    expect(validateAgainst(schema, produce())).toEqual([]);
  });

  test.each(['queued', 'in_progress', 'completed'])(
    'RunObject and MessageObject list when the run is %s',
    (status) => {
      now = { queued: 0, in_progress: 2000, completed: 10_000 }[status] as number;
      const run = call('GET', `/threads/${ids.thread}/runs/${ids.run}`) as { status: string };
      expect(run.status).toBe(status);
      expect(validateAgainst('RunObject', run)).toEqual([]);
      expect(validateAgainst('ListMessagesResponse', call('GET', `/threads/${ids.thread}/messages`))).toEqual(
        [],
      );
      expect(validateAgainst('Response', call('GET', `/responses/${ids.response}`))).toEqual([]);
      expect(validateAgainst('Batch', call('GET', `/batches/${ids.batch}`))).toEqual([]);
    },
  );
});
