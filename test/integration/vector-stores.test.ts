import { toFile } from 'openai';
import { describe, expect, test } from 'vitest';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { validateAgainst } from '../helpers/openapi.ts';

const FAST = { request: { kind: 'fixed', ms: 100 } } as const;
const FILE_BATCH = {
  queue: { kind: 'fixed', ms: 1_000 },
  duration: { kind: 'fixed', ms: 12_000 },
  failRate: 0,
} as const;

describe('vector stores and file batches, through the real openai SDK in virtual time', () => {
  test('fileBatches.uploadAndPoll ingests files; the store and the batch match the official schemas', async () => {
    await withVirtualSdk(
      { tier: '1', seed: 5, latency: { ...FAST, fileBatch: FILE_BATCH } },
      async ({ client, mock, time }) => {
        const clock = time.clock;
        const store = await client.vectorStores.create({ name: 'hearings' });
        expect(validateAgainst('VectorStoreObject', store)).toEqual([]);
        const files = await Promise.all(
          ['a.txt', 'b.txt', 'c.txt'].map((name) => toFile(Buffer.from(`transcript ${name}`), name)),
        );
        const start = clock.now();
        const batch = await client.vectorStores.fileBatches.uploadAndPoll(store.id, { files });
        expect(validateAgainst('VectorStoreFileBatchObject', batch)).toEqual([]);
        expect(batch).toMatchObject({
          object: 'vector_store.files_batch',
          vector_store_id: store.id,
          status: 'completed',
          file_counts: { in_progress: 0, completed: 3, failed: 0, cancelled: 0, total: 3 },
        });
        // The helper polls at once, then every 5 s (no openai-poll-after-ms): the batch ends 13 s after
        // its create, so the poll at +15 s sees it.
        const polls = mock.requests.filter((r) => r.route === 'vectorStores.fileBatches.retrieve');
        expect(polls.map((r) => r.jobStatus)).toEqual([
          'in_progress',
          'in_progress',
          'in_progress',
          'completed',
        ]);
        expect(clock.now() - start).toBeGreaterThan(13_000);
        const after = await client.vectorStores.retrieve(store.id);
        expect(validateAgainst('VectorStoreObject', after)).toEqual([]);
        expect(after).toMatchObject({ status: 'completed', file_counts: { completed: 3, total: 3 } });
        expect(after.usage_bytes).toBe(files.reduce((sum, f) => sum + f.size, 0));
      },
    );
  });

  test('file-batch requests count against the store’s own 300 RPM, not the model’s, with headers', async () => {
    await withVirtualSdk(
      { tier: '1', seed: 5, latency: FAST, vectorStoreRpm: 2 },
      async ({ client, mock }) => {
        const file = await client.files.create({
          file: await toFile(Buffer.from('x'), 'x.txt'),
          purpose: 'assistants',
        });
        const store = await client.vectorStores.create({});
        const other = await client.vectorStores.create({});
        const created = await client.vectorStores.fileBatches
          .create(store.id, { file_ids: [file.id] })
          .withResponse();
        expect(created.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
        expect(created.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
        expect(created.response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
        await client.vectorStores.fileBatches.retrieve(created.data.id, { vector_store_id: store.id });
        // The third request in the same store is refused (after the SDK's own two retries) …
        const refused = await client.vectorStores.fileBatches
          .retrieve(created.data.id, { vector_store_id: store.id }, { maxRetries: 0 })
          .catch((error: unknown) => error);
        expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
        expect((refused as Error).message).toContain(
          `Rate limit reached for vector store ${store.id} in organization org-pollbench on requests per min (RPM): Limit 2, Used 2, Requested 1.`,
        );
        // … while another store has its own budget.
        await client.vectorStores.fileBatches.create(other.id, { file_ids: [file.id] });
        const record = mock.requests.find((r) => r.route === 'vectorStores.fileBatches.create');
        expect(record?.model).toBe(`vector_store:${store.id}`);
      },
    );
  });

  test('cancel stops the files not yet embedded; a second cancel is refused', async () => {
    await withVirtualSdk(
      { tier: '1', seed: 5, latency: { ...FAST, fileBatch: FILE_BATCH } },
      async ({ client, time }) => {
        const clock = time.clock;
        const ids = [];
        for (const name of ['a', 'b', 'c', 'd'])
          ids.push(
            (
              await client.files.create({
                file: await toFile(Buffer.from(name), name),
                purpose: 'assistants',
              })
            ).id,
          );
        const store = await client.vectorStores.create({});
        const batch = await client.vectorStores.fileBatches.create(store.id, { file_ids: ids });
        // Files end at +4 s, +7 s, +10 s, +13 s (queue 1 s, then 3 s each).
        await clock.sleep(8_000);
        const cancelled = await client.vectorStores.fileBatches.cancel(batch.id, {
          vector_store_id: store.id,
        });
        expect(cancelled).toMatchObject({
          status: 'cancelled',
          file_counts: { in_progress: 0, completed: 2, cancelled: 2, total: 4 },
        });
        await expect(
          client.vectorStores.fileBatches.cancel(batch.id, { vector_store_id: store.id }),
        ).rejects.toMatchObject({ status: 400 });
      },
    );
  });

  test('bad requests get OpenAI-shaped 4xx and change nothing', async () => {
    await withVirtualSdk({ tier: '1', seed: 5, latency: FAST }, async ({ client, mock }) => {
      const store = await client.vectorStores.create({});
      const file = await client.files.create({
        file: await toFile(Buffer.from('x'), 'x.txt'),
        purpose: 'assistants',
      });
      const opts = { maxRetries: 0 };
      const cases: [unknown, number, string | null][] = [
        [client.vectorStores.fileBatches.create('vs_missing', { file_ids: [file.id] }, opts), 404, null],
        [client.vectorStores.fileBatches.create(store.id, {} as never, opts), 400, 'file_ids'],
        [client.vectorStores.fileBatches.create(store.id, { file_ids: [] }, opts), 400, 'file_ids'],
        [client.vectorStores.fileBatches.create(store.id, { file_ids: ['file-nope'] }, opts), 404, null],
        [
          client.vectorStores.fileBatches.create(
            store.id,
            { file_ids: [file.id], files: [{ file_id: file.id }] },
            opts,
          ),
          400,
          'files',
        ],
        [
          client.vectorStores.fileBatches.retrieve('vsfb_nope', { vector_store_id: store.id }, opts),
          404,
          null,
        ],
        [client.vectorStores.create({ name: 3 } as never, opts), 400, 'name'],
      ];
      for (const [promise, status, param] of cases) {
        const error = await (promise as Promise<unknown>).catch((e: unknown) => e);
        expect(error).toMatchObject({ status, param });
      }
      expect(mock.core.state.fileBatches.size).toBe(0);
      expect(mock.core.state.vectorStores.size).toBe(1);
      // Refused before the limiter: none of them spent the store's budget.
      expect(mock.requests.filter((r) => r.model !== undefined)).toEqual([]);
    });
  });
});
