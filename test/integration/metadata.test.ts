import OpenAI, { toFile } from 'openai';
import { describe, expect, test } from 'vitest';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import { METADATA_LIMITS } from '../../src/server/routes/metadata.ts';
import { validateAgainst } from '../helpers/openapi.ts';

const FAST = { request: { kind: 'fixed', ms: 100 } } as const;
const TAGS = { file: 'doc-3.pdf', attempt: '2' };

describe('metadata is kept and echoed, through the real openai SDK in virtual time', () => {
  test('a background response: on its create and on every poll, as the official schema has it', async () => {
    await withVirtualSdk({ tier: '1', seed: 3, latency: FAST }, async ({ client }) => {
      const created = await client.responses.create({
        model: 'gpt-4.1',
        input: 'Classify this.',
        background: true,
        metadata: TAGS,
      });
      expect(created.metadata).toEqual(TAGS);
      let response = created;
      while (response.status === 'queued' || response.status === 'in_progress') {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        response = await client.responses.retrieve(created.id);
        expect(response.metadata).toEqual(TAGS);
      }
      expect(response.status).toBe('completed');
      expect(validateAgainst('Response', response)).toEqual([]);
      // Not given: an empty object, as before.
      const plain = await client.responses.create({ model: 'gpt-4.1', input: 'x', background: true });
      expect(plain.metadata).toEqual({});
    });
  });

  test('the Assistants objects, a batch and a vector store', async () => {
    await withVirtualSdk({ tier: '1', seed: 4, latency: FAST }, async ({ client }) => {
      const assistant = await client.beta.assistants.create({ model: 'gpt-4.1', metadata: { team: 'a' } });
      expect(assistant.metadata).toEqual({ team: 'a' });
      expect((await client.beta.assistants.retrieve(assistant.id)).metadata).toEqual({ team: 'a' });

      const thread = await client.beta.threads.create({
        metadata: { case: '7' },
        messages: [{ role: 'user', content: 'hi', metadata: { n: '1' } }],
      });
      expect(thread.metadata).toEqual({ case: '7' });
      expect((await client.beta.threads.retrieve(thread.id)).metadata).toEqual({ case: '7' });
      const message = await client.beta.threads.messages.create(thread.id, {
        role: 'user',
        content: 'and this',
        metadata: { n: '2' },
      });
      expect(message.metadata).toEqual({ n: '2' });
      const listed = await client.beta.threads.messages.list(thread.id, { order: 'asc' });
      expect(listed.data.map((m) => m.metadata)).toEqual([{ n: '1' }, { n: '2' }]);

      const run = await client.beta.threads.runs.create(thread.id, {
        assistant_id: assistant.id,
        metadata: { run: 'first' },
      });
      expect(run.metadata).toEqual({ run: 'first' });
      const polled = await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
      expect(polled.metadata).toEqual({ run: 'first' });
      expect(validateAgainst('RunObject', polled)).toEqual([]);

      // createAndRun: the run's metadata at the top, the thread's inside `thread`.
      const both = await client.beta.threads.createAndRun({
        assistant_id: assistant.id,
        metadata: { run: 'second' },
        thread: { metadata: { case: '8' }, messages: [{ role: 'user', content: 'x' }] },
      });
      expect(both.metadata).toEqual({ run: 'second' });
      expect((await client.beta.threads.retrieve(both.thread_id)).metadata).toEqual({ case: '8' });

      const input = await client.files.create({
        file: await toFile(Buffer.from('{"custom_id":"1"}\n'), 'in.jsonl'),
        purpose: 'batch',
      });
      const batch = await client.batches.create({
        input_file_id: input.id,
        endpoint: '/v1/responses',
        completion_window: '24h',
        metadata: TAGS,
      });
      expect(batch.metadata).toEqual(TAGS);
      expect((await client.batches.retrieve(batch.id)).metadata).toEqual(TAGS);
      const untagged = await client.batches.create({
        input_file_id: input.id,
        endpoint: '/v1/responses',
        completion_window: '24h',
      });
      expect(untagged.metadata).toBeNull();

      const store = await client.vectorStores.create({ name: 's', metadata: TAGS });
      expect((await client.vectorStores.retrieve(store.id)).metadata).toEqual(TAGS);
    });
  });
});

describe('metadata outside the official limits is refused with a 400 and changes nothing', () => {
  const clock = { now: () => 0, sleep: async () => undefined };
  const create = (metadata: unknown) => {
    const mock = createMockOpenAI({ clock, tier: '1', seed: 1 });
    const answer = mock.core.handle({
      method: 'POST',
      path: '/responses',
      authorization: 'Bearer sk-test',
      body: { model: 'gpt-4.1', input: 'x', background: true, metadata },
    });
    return { answer, jobs: mock.jobs.length };
  };
  const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
  const { pairs: maxPairs, keyChars, valueChars } = METADATA_LIMITS;

  test.each([
    [
      pairs(maxPairs + 1),
      'invalid_value',
      'metadata',
      `too many properties. Expected an object with at most 16 properties, but got an object with 17`,
    ],
    [{ ['k'.repeat(keyChars + 1)]: 'v' }, 'invalid_value', 'metadata', 'key too long'],
    [{ k: 'v'.repeat(valueChars + 1) }, 'invalid_value', 'metadata.k', 'string too long'],
    [{ k: 5 }, 'invalid_type', 'metadata.k', 'expected a string, but got an integer instead'],
    [{ k: null }, 'invalid_type', 'metadata.k', 'expected a string, but got null instead'],
    [['a'], 'invalid_type', 'metadata', 'expected an object, but got an array instead'],
    ['tag', 'invalid_type', 'metadata', 'expected an object, but got a string instead'],
  ])('%j: %s on %s', (metadata, code, param, message) => {
    const { answer, jobs } = create(metadata);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { type: 'invalid_request_error', code, param } });
    expect((answer.body as { error: { message: string } }).error.message).toContain(message);
    expect(jobs).toBe(0);
  });

  test('at the limits, and null, are accepted; a key named __proto__ stays a key', () => {
    for (const metadata of [
      pairs(maxPairs),
      { ['k'.repeat(keyChars)]: 'v'.repeat(valueChars) },
      null,
      JSON.parse('{"__proto__":"x"}'),
    ]) {
      const { answer, jobs } = create(metadata);
      expect(answer.status, JSON.stringify(metadata)).toBe(200);
      expect(jobs).toBe(1);
      const echoed = (answer.body as { metadata: object }).metadata;
      expect(echoed).toEqual(metadata ?? {});
      expect(Object.getPrototypeOf(echoed)).toBe(Object.prototype);
    }
  });

  test('each answer carries its own copy: changing one changes no later answer', () => {
    const mock = createMockOpenAI({ clock, tier: '1', seed: 1 });
    const request = { authorization: 'Bearer sk-test' };
    const created = mock.core.handle({
      ...request,
      method: 'POST',
      path: '/responses',
      body: { model: 'gpt-4.1', input: 'x', background: true, metadata: { k: 'v' } },
    });
    const id = (created.body as { id: string }).id;
    (created.body as { metadata: Record<string, string> }).metadata.k = 'changed';
    const polled = mock.core.handle({ ...request, method: 'GET', path: `/responses/${id}` });
    expect((polled.body as { metadata: object }).metadata).toEqual({ k: 'v' });
  });

  test('through the SDK, the error names the parameter', async () => {
    const mock = createMockOpenAI({ clock, tier: '1', seed: 1 });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.baseURL, fetch: mock.fetch, maxRetries: 0 });
    const error = await client.beta.threads
      .create({ messages: [{ role: 'user', content: 'x', metadata: { k: 'v'.repeat(513) } }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages[0].metadata.k');
  });
});
