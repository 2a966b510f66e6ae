import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { MetricsCollector } from '../../sim/metrics.ts';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { recordTraffic } from '../../src/client/traffic-recorder.ts';
import { attachPoller } from '../../src/pollers/attach-poller.ts';
import { startHttpServer } from '../../src/server/http-server.ts';
import type { RequestRecord } from '../../src/server/request-record.ts';
import { startBatch } from '../helpers/start-batch.ts';
import { quickWallClockMock } from '../helpers/wall-clock-mock.ts';

/**
 * The client's records are the mock's own, field for field. `doneMs` is the one exception: the mock
 * records when its answer is due, to the fraction of a millisecond; the client sees it when the timer
 * fires, on the whole millisecond.
 */
function expectSameRecords(seen: readonly RequestRecord[], truth: readonly RequestRecord[]) {
  const inOrder = [...seen].sort((a, b) => a.seq - b.seq);
  // Nor can the client tell what a 5xx answer was charged to: it carries no rate-limit headers.
  const comparable = ({ doneMs, model, ...rest }: RequestRecord) => ({
    ...rest,
    model: rest.status >= 500 ? 'not told' : model,
  });
  expect(inOrder.map(comparable)).toEqual(truth.map(comparable));
  for (const [i, record] of inOrder.entries())
    expect(Math.abs(record.doneMs - (truth[i] as RequestRecord).doneMs)).toBeLessThan(1);
}

const background = (openai: OpenAI, input: string, options: { signal?: AbortSignal } = {}) =>
  openai.responses.create({ model: 'gpt-4.1-mini', input, background: true }, options);

describe("a program's own traffic, recorded from the client's side", () => {
  test.each(['fixed:interval=2s', 'adaptive', 'sdk'])(
    'on the free tier with %s: the same records as the mock keeps, 429s and their dimension included',
    async (spec) => {
      await withVirtualSdk({ tier: 'free', seed: 3 }, async ({ client, mock, time }) => {
        const seen: RequestRecord[] = [];
        const openai = recordTraffic(client, (record) => seen.push(record), { clock: time.clock });
        const poller = attachPoller(openai, spec, { tier: 'free', model: 'gpt-4.1-mini', seed: 1 });
        await Promise.allSettled(
          Array.from({ length: 4 }, async (_, i) =>
            poller.waitFor(await poller.send((sdk, options) => background(sdk, `file ${i}`, options))),
          ),
        );
        expectSameRecords(seen, mock.requests);
        if (spec !== 'adaptive') expect(seen.some((r) => r.rejectedBy === 'rpm')).toBe(true);
        const polls = seen.filter((r) => r.route === 'responses.retrieve' && r.status === 200);
        for (const poll of polls) expect(poll.jobStatus).toMatch(/^(queued|in_progress|completed|failed)$/);
      });
    },
  );

  test('runs, batches and vector-store file batches, with failures and uploads that do not count', async () => {
    await withVirtualSdk(
      {
        tier: '1',
        seed: 4,
        faults: { serverErrorRate: 0.2 },
      },
      async ({ client, mock, time }) => {
        const seen: RequestRecord[] = [];
        const openai = recordTraffic(client, (record) => seen.push(record), { clock: time.clock });
        const sdk = attachPoller(openai, 'sdk', { seed: 1 });
        const backoff = attachPoller(openai, 'backoff:base=10s,cap=10m', { seed: 1 });
        const attempt = <T>(work: () => Promise<T>) => work().catch((error: unknown) => error);
        await attempt(async () => {
          const assistant = await sdk.openai.beta.assistants.create({ model: 'gpt-4o-mini' });
          const thread = await sdk.openai.beta.threads.create({
            messages: [{ role: 'user', content: 'hi' }],
          });
          await sdk.waitFor(
            await sdk.openai.beta.threads.runs.create(thread.id, { assistant_id: assistant.id }),
          );
        });
        await attempt(async () => {
          await backoff.waitFor(await startBatch(sdk.openai, backoff));
        });
        await attempt(async () => {
          const store = await sdk.openai.vectorStores.create({ name: 'docs' });
          const doc = await sdk.openai.files.create({
            file: await OpenAI.toFile(Buffer.from('text'), 'doc.txt'),
            purpose: 'assistants',
          });
          await backoff.waitFor(
            await backoff.openai.vectorStores.fileBatches.create(store.id, { file_ids: [doc.id] }),
          );
        });
        expectSameRecords(seen, mock.requests);
        const routes = new Set(seen.map((r) => r.route));
        for (const route of [
          'runs.retrieve',
          'batches.retrieve',
          'vectorStores.fileBatches.retrieve',
          'files.create',
        ])
          expect(routes).toContain(route);
        expect(seen.some((r) => r.status === 500 && r.errorCode === 'server_error')).toBe(true);
      },
    );
  });

  test('a request too large for TPM: its 429 says tokens, and every attempt the SDK makes is recorded', async () => {
    await withVirtualSdk({ tier: 'free', seed: 1 }, async ({ client, mock, time }) => {
      const seen: RequestRecord[] = [];
      const openai = recordTraffic(client, (record) => seen.push(record), { clock: time.clock });
      // gpt-4.1-mini on the free tier: 40,000 TPM (tier tables); 200,000 characters are about 50,000 tokens.
      await expect(background(openai, 'x'.repeat(200_000))).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      expectSameRecords(seen, mock.requests);
      // The SDK retries it twice, although it can never pass (facts §3): each attempt is a request.
      expect(seen.map((r) => [r.status, r.rejectedBy, r.model])).toEqual(
        Array(1 + client.maxRetries).fill([429, 'tpm', 'gpt-4.1-mini']),
      );
    });
  });

  test("the simulator's figures, computed from the recorded traffic, are those computed from the mock's", async () => {
    await withVirtualSdk({ tier: 'free', seed: 7 }, async ({ client, mock, time }) => {
      const fromClient = new MetricsCollector();
      const fromMock = new MetricsCollector();
      mock.observe(fromMock.observe);
      const openai = recordTraffic(client, fromClient.observe, { clock: time.clock });
      const poller = attachPoller(openai, 'fixed:interval=3s', { seed: 2 });
      await Promise.allSettled(
        Array.from({ length: 5 }, async (_, i) =>
          poller.waitFor(await poller.send((o) => background(o, `${i}`))),
        ),
      );
      const outcomes = [
        {
          client: 0,
          index: 0,
          status: 'completed' as const,
          jobId: undefined,
          startedAtMs: 0,
          finishedAtMs: time.now,
        },
      ];
      const figures = fromClient.finish(outcomes, mock.jobs);
      expect(figures).toEqual(fromMock.finish(outcomes, mock.jobs));
      expect(figures.rateLimited).toBeGreaterThan(0);
    });
  });

  test('over loopback HTTP on the wall clock: the same routes, statuses and jobs as the mock saw', async () => {
    const mock = quickWallClockMock(5, 200, 600);
    const server = await startHttpServer(mock, { port: 0 });
    try {
      const seen: RequestRecord[] = [];
      const openai = recordTraffic(
        new OpenAI({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 }),
        (record) => seen.push(record),
      );
      const poller = attachPoller(openai, 'fixed:interval=100ms', { seed: 1 });
      await Promise.all(
        [0, 1].map(async (i) => poller.waitFor(await poller.send((o) => background(o, `${i}`)))),
      );
      const shape = (r: RequestRecord) => [r.method, r.path, r.route, r.status, r.jobId, r.jobStatus];
      expect([...seen].sort((a, b) => a.seq - b.seq).map(shape)).toEqual(mock.requests.map(shape));
      for (const record of seen) expect(record.doneMs).toBeGreaterThanOrEqual(record.atMs);
    } finally {
      await server.close();
    }
  });

  test('given the wrong thing: a TypeError that says what was expected', () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1' });
    expect(() => recordTraffic({} as OpenAI, () => {})).toThrow(/expected an OpenAI client/);
    expect(() => recordTraffic(client, undefined as never)).toThrow(/expected a function/);
  });
});
