import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';

const refusal = (asked: string, where: string) => ({
  status: 400,
  code: 'not_implemented_by_mock',
  param: 'stream',
  type: 'invalid_request_error',
  message: `400 pollbench's mock does not implement streaming (${asked} on ${where}); poll instead (a response: create it with background: true, then retrieve it until it ends).`,
});

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: unknown) => e,
  );

describe('a request for a stream, through the real openai SDK', () => {
  test('gets a 400 that says the mock does not stream, never a JSON body the stream reader finds empty', async () => {
    await withVirtualSdk(
      { tier: '1', seed: 1, latency: { request: { kind: 'fixed', ms: 50 } } },
      async ({ client, mock }) => {
        const created = await caught(
          client.responses.create({ model: 'gpt-4o', input: 'hi', background: true, stream: true }),
        );
        expect(created).toBeInstanceOf(OpenAI.BadRequestError);
        expect(created).toMatchObject(refusal('stream: true', 'POST /v1/responses'));

        const chat = await caught(
          client.chat.completions.create({
            model: 'gpt-4o',
            messages: [{ role: 'user', content: 'hi' }],
            stream: true,
          }),
        );
        expect(chat).toMatchObject(refusal('stream: true', 'POST /v1/chat/completions'));

        // Resuming a background response's stream is refused too; polling the same response works.
        const response = await client.responses.create({ model: 'gpt-4o', input: 'hi', background: true });
        const resumed = await caught(client.responses.retrieve(response.id, { stream: true }));
        expect(resumed).toMatchObject(refusal('?stream=true', `GET /v1/responses/${response.id}`));
        expect((await client.responses.retrieve(response.id)).id).toBe(response.id);

        // Refused before the limiter: the refusals took no budget, and changed no state.
        const refused = mock.requests.filter((r) => r.errorCode === 'not_implemented_by_mock');
        expect(refused.map((r) => [r.route, r.remainingRequests])).toEqual([
          ['responses.create', undefined],
          ['chat.completions.create', undefined],
          ['responses.retrieve', undefined],
        ]);
        expect(mock.core.state.responses.size).toBe(1);
      },
      { maxRetries: 0 },
    );
  });

  test('stream: false is an ordinary request', async () => {
    await withVirtualSdk({ tier: '1', seed: 1 }, async ({ client }) => {
      const response = await client.responses.create({
        model: 'gpt-4o',
        input: 'hi',
        background: true,
        stream: false,
      });
      expect(response.status).toBe('queued');
    });
  });
});
