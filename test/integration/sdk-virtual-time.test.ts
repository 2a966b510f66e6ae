import OpenAI, { toFile } from 'openai';
import { describe, expect, test } from 'vitest';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { SeededOpenAI } from '../../src/client/sdk-client.ts';
import { sdkDefaultBackoffMs } from '../../src/client/sdk-retry.ts';
import { createRandom } from '../../src/core/random.ts';

const FAST = { request: { kind: 'fixed', ms: 100 } } as const;

describe('the real openai SDK against mock.fetch in virtual time', () => {
  test('serves every endpoint of the Assistants flow', async () => {
    const seen = await withVirtualSdk({ tier: '1', seed: 3, latency: FAST }, async ({ client, mock }) => {
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toContain('gpt-4o');
      const model = await client.models.retrieve('gpt-4o');
      expect(model.id).toBe('gpt-4o');
      // x-request-id as the API sends it (facts §2.3), one per request, surfaced by the SDK.
      const again = await client.models.retrieve('gpt-4o');
      expect(model._request_id).toMatch(/^req_[0-9a-f]{32}$/);
      expect(again._request_id).toMatch(/^req_[0-9a-f]{32}$/);
      expect(again._request_id).not.toBe(model._request_id);
      const file = await client.files.create({
        file: await toFile(Buffer.from('hearing transcript'), 'a.txt'),
        purpose: 'assistants',
      });
      expect(file).toMatchObject({ object: 'file', bytes: 18, filename: 'a.txt', purpose: 'assistants' });
      expect((await client.files.retrieve(file.id)).id).toBe(file.id);
      const assistant = await client.beta.assistants.create({
        model: 'gpt-4o',
        instructions: 'Answer YES or NO.',
      });
      expect((await client.beta.assistants.retrieve(assistant.id)).model).toBe('gpt-4o');
      const thread = await client.beta.threads.create();
      expect((await client.beta.threads.retrieve(thread.id)).id).toBe(thread.id);
      await client.beta.threads.messages.create(thread.id, {
        role: 'user',
        content: 'Is this a nomination hearing?',
      });
      const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
      expect(run.status).toBe('queued');
      await expect(
        client.beta.threads.messages.create(thread.id, { role: 'user', content: 'more' }),
      ).rejects.toMatchObject({ status: 400 });
      const done = await client.beta.threads.runs.poll(
        run.id,
        { thread_id: thread.id },
        { pollIntervalMs: 1000 },
      );
      expect(['completed', 'failed']).toContain(done.status);
      const messages = await client.beta.threads.messages.list(thread.id);
      if (done.status === 'completed') expect(messages.data[0]?.role).toBe('assistant');
      const other = await client.beta.threads.createAndRun({
        assistant_id: assistant.id,
        thread: { messages: [{ role: 'user', content: 'hi' }] },
      });
      const cancelled = await client.beta.threads.runs.cancel(other.id, { thread_id: other.thread_id });
      expect(cancelled.status).toBe('cancelling');
      const final = await client.beta.threads.runs.poll(
        other.id,
        { thread_id: other.thread_id },
        { pollIntervalMs: 500 },
      );
      expect(final.status).toBe('cancelled');
      return mock.requests.map((r) => r.route);
    });
    expect(new Set(seen)).toEqual(
      new Set([
        'models.list',
        'models.retrieve',
        'files.create',
        'files.retrieve',
        'assistants.create',
        'assistants.retrieve',
        'threads.create',
        'threads.retrieve',
        'messages.create',
        'runs.create',
        'runs.retrieve',
        'messages.list',
        'threads.createAndRun',
        'runs.cancel',
      ]),
    );
  });

  test('submit_tool_outputs resumes a run stopped at requires_action', async () => {
    const status = await withVirtualSdk(
      {
        tier: '1',
        latency: {
          ...FAST,
          run: {
            queue: { kind: 'fixed', ms: 0 },
            duration: { kind: 'fixed', ms: 2000 },
            requiresActionRate: 1,
          },
        },
      },
      async ({ client }) => {
        const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
        const run = await client.beta.threads.createAndRunPoll(
          { assistant_id: assistant.id },
          { pollIntervalMs: 500 },
        );
        expect(run.status).toBe('requires_action');
        const call = run.required_action?.submit_tool_outputs.tool_calls[0];
        const resumed = await client.beta.threads.runs.submitToolOutputsAndPoll(run.id, {
          thread_id: run.thread_id,
          tool_outputs: [{ tool_call_id: call?.id ?? '', output: '{}' }],
        });
        return resumed.status;
      },
    );
    expect(status).toBe('completed');
  });

  test('chat completions, embeddings, responses and batches', async () => {
    await withVirtualSdk({ tier: '2', latency: FAST }, async ({ client }) => {
      const chat = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 5,
      });
      expect(chat.choices[0]?.message.content).toBe('YES');
      const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
      expect(emb.data).toHaveLength(2);
      const sync = await client.responses.create({ model: 'gpt-4.1', input: 'hi' });
      expect(sync.status).toBe('completed');
      expect(sync.output_text).toBe('YES');
      const bg = await client.responses.create({ model: 'gpt-4.1', input: 'hi', background: true });
      expect(bg.status).toBe('queued');
      expect((await client.responses.retrieve(bg.id)).status).toMatch(/queued|in_progress/);
      const cancelled = await client.responses.cancel(bg.id);
      expect(cancelled.status).toBe('cancelled');
      expect((await client.responses.cancel(bg.id)).status).toBe('cancelled');
      await expect(client.responses.cancel(sync.id)).rejects.toMatchObject({ status: 400 });
      const input = await client.files.create({
        file: await toFile(Buffer.from('{}\n'.repeat(100)), 'in.jsonl'),
        purpose: 'batch',
      });
      const batch = await client.batches.create({
        input_file_id: input.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      expect(batch.status).toBe('validating');
      let current = batch;
      while (!['completed', 'failed', 'expired', 'cancelled'].includes(current.status)) {
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        current = await client.batches.retrieve(batch.id);
      }
      expect(current.status).toBe('completed');
      expect(current.output_file_id).not.toBeNull();
      const second = await client.batches.create({
        input_file_id: input.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      expect((await client.batches.cancel(second.id)).status).toBe('cancelling');
    });
  });

  test('runs.createAndPoll completes and follows openai-poll-after-ms when it is switched on', async () => {
    const { status, gaps } = await withVirtualSdk(
      {
        tier: '1',
        latency: {
          ...FAST,
          run: { queue: { kind: 'fixed', ms: 0 }, duration: { kind: 'fixed', ms: 9_000 } },
        },
        headers: { pollAfterMs: 1_234 },
      },
      async ({ client, mock }) => {
        const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
        const thread = await client.beta.threads.create();
        const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
        const polls = mock.requests.filter((r) => r.route === 'runs.retrieve');
        return { status: run.status, gaps: polls.slice(1).map((r, i) => r.atMs - (polls[i]?.doneMs ?? 0)) };
      },
    );
    expect(status).toBe('completed');
    expect(gaps.length).toBeGreaterThan(3);
    for (const gap of gaps) expect(gap).toBe(1_234);
  });

  test('without the header the SDK helper polls every 5 s', async () => {
    const gaps = await withVirtualSdk(
      {
        tier: '1',
        latency: {
          ...FAST,
          run: { queue: { kind: 'fixed', ms: 0 }, duration: { kind: 'fixed', ms: 16_000 } },
        },
      },
      async ({ client, mock }) => {
        const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
        await client.beta.threads.createAndRunPoll({ assistant_id: assistant.id });
        const polls = mock.requests.filter((r) => r.route === 'runs.retrieve');
        return polls.slice(1).map((r, i) => r.atMs - (polls[i]?.doneMs ?? 0));
      },
    );
    // A 16 s run: polls at ~0, 5, 10, 15 s see it running, the one at ~20 s sees it done.
    expect(gaps).toEqual([5_000, 5_000, 5_000, 5_000]);
  });

  test("the SDK's own retry on 429 waits retry-after-ms, visibly in virtual time", async () => {
    const requests = await withVirtualSdk({ tier: 'free', latency: FAST }, async ({ client, mock }) => {
      for (let i = 0; i < 4; i++) {
        await client.chat.completions.create({
          model: 'gpt-3.5-turbo',
          messages: [{ role: 'user', content: 'hi' }],
        });
      }
      return mock.requests;
    });
    const rejected = requests.find((r) => r.status === 429);
    expect(rejected).toMatchObject({ rejectedBy: 'rpm', route: 'chat.completions.create' });
    const retry = requests[requests.indexOf(rejected as (typeof requests)[number]) + 1];
    expect(retry?.status).toBe(200);
    // The rejected request itself costs a request, emptying the bucket, so the server says 20 s
    // (retry-after-ms: 20000) and the SDK waits exactly that before its retry.
    expect((retry?.atMs ?? 0) - (rejected?.doneMs ?? 0)).toBe(20_000);
  });
});

describe('SeededOpenAI', () => {
  test('a copy made with withOptions draws its retry jitter from the same seeded stream', async () => {
    // A 500 carries no retry-after: the SDK's own backoff, with its jitter, decides the wait.
    const gaps = async (copy: boolean) =>
      withVirtualSdk({ tier: '1', seed: 1, faults: { serverErrorRate: 1 } }, async ({ mock }) => {
        const seeded = new SeededOpenAI(
          { apiKey: 'sk-test', baseURL: mock.baseURL, fetch: mock.fetch, maxRetries: 1 },
          createRandom(9).stream('sdk-retry'),
        );
        const client = copy ? seeded.withOptions({ maxRetries: 3 }).withOptions({ timeout: 30_000 }) : seeded;
        await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
        const times = mock.requests.map((r) => r.atMs);
        return times.slice(1).map((t, i) => t - (mock.requests[i]?.doneMs ?? 0));
      });
    const copied = await gaps(true);
    expect(copied).toHaveLength(3);
    // The SDK's backoff (0.5 s, 1 s, 2 s) less up to 25 % jitter, drawn from the stream: the same draws
    // as sdkDefaultBackoffMs makes from a fresh stream of the same seed.
    const random = createRandom(9).stream('sdk-retry');
    const expected = [3, 2, 1].map((left) => sdkDefaultBackoffMs(left, 3, random));
    for (const [i, gap] of copied.entries()) expect(Math.abs(gap - (expected[i] as number))).toBeLessThan(1);
    expect((await gaps(false)).length).toBe(1);
  });
});
