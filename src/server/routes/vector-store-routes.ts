import { openAIErrors } from '../errors.ts';
import { type BatchFile, FileBatchJob, VectorStore } from '../jobs/file-batch.ts';
import { metadataOf } from './metadata.ts';
import { type Plan, plan, type Route, type RouteContext, type RouteResult } from './route.ts';

/** The schema's `maxItems` for `file_ids` and `files` (OpenAPI `CreateVectorStoreFileBatchRequest`). */
const MAX_BATCH_FILES = 2000;

function findStore(ctx: RouteContext): VectorStore | RouteResult {
  const id = ctx.params.vector_store_id as string;
  return ctx.state.vectorStores.get(id) ?? openAIErrors.notFound('vector store', id);
}

function findFileBatch(ctx: RouteContext): { store: VectorStore; batch: FileBatchJob } | RouteResult {
  const store = findStore(ctx);
  if (!(store instanceof VectorStore)) return store;
  const id = ctx.params.batch_id as string;
  const batch = ctx.state.fileBatches.get(id);
  // A batch is found only under the store it was created in.
  if (batch === undefined || batch.vectorStoreId !== store.id) return openAIErrors.notFound('file batch', id);
  return { store, batch };
}

/**
 * The files a create names: `file_ids` (strings) or `files` (objects with a `file_id`), exclusive, 1 to
 * 2000 of them, each an uploaded file. Returns them or the 4xx.
 */
function batchFiles(
  ctx: RouteContext,
  body: Record<string, unknown>,
  required: boolean,
): BatchFile[] | RouteResult {
  const { file_ids: ids, files } = body;
  if (ids !== undefined && files !== undefined)
    return openAIErrors.invalidRequest("'file_ids' and 'files' are mutually exclusive: give one.", 'files');
  const param = files !== undefined ? 'files' : 'file_ids';
  const raw = files ?? ids;
  if (raw === undefined) return required ? openAIErrors.missingParam('file_ids') : [];
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_BATCH_FILES)
    return openAIErrors.invalidValue(
      param,
      `Invalid '${param}': expected an array of 1 to ${MAX_BATCH_FILES} ${param === 'files' ? 'objects with a file_id' : 'file ids'}.`,
    );
  const out: BatchFile[] = [];
  for (const [i, item] of raw.entries()) {
    const id = param === 'files' ? (item as { file_id?: unknown } | null)?.file_id : item;
    if (typeof id !== 'string' || id === '')
      return openAIErrors.invalidValue(
        `${param}[${i}]`,
        `Invalid '${param}[${i}]': expected ${param === 'files' ? 'an object with a file_id string' : 'a file id string'}.`,
      );
    const file = ctx.state.files.get(id);
    if (file === undefined) return openAIErrors.notFound('file', id);
    out.push({ id, bytes: file.bytes });
  }
  return out;
}

/** A plan counted against the store's own limit (300 RPM each, facts §4), not a model's. */
function storePlan(ctx: RouteContext, store: VectorStore, execute: Plan['execute']): Plan {
  return { kind: 'plan', bucket: ctx.vectorStoreBucket(store.id), execute };
}

/** Attaches `files` to `store` as a new batch, drawing its timeline from the next job of `kind`. */
function attach(
  ctx: RouteContext,
  store: VectorStore,
  files: readonly BatchFile[],
  kind: 'file_batch' | 'vector_store_files',
): FileBatchJob {
  const job = new FileBatchJob(
    ctx.state.newId('vsfb_'),
    store.id,
    ctx.nowMs,
    files,
    ctx.latency.fileBatch,
    ctx.nextJobRandom(kind),
  );
  store.batches.push(job);
  return job;
}

/**
 * Vector stores and their file batches: the ingestion job of `file_search` (facts §5.2 step 3, §6.3).
 * File-batch requests count against the store's own limit (300 RPM each, facts §4), not a model's.
 */
export const vectorStoreRoutes: readonly Route[] = [
  {
    id: 'vectorStores.create',
    method: 'POST',
    path: '/vector_stores',
    body: 'json',
    plan: (ctx) => {
      const { name } = ctx.body;
      if (name !== undefined && typeof name !== 'string')
        return openAIErrors.invalidValue('name', "Invalid 'name': expected a string.");
      const tags = metadataOf(ctx.body);
      if ('error' in tags) return tags.error;
      const files = batchFiles(ctx, ctx.body, false);
      if (!Array.isArray(files)) return files;
      // Creating a store is not named among the rate-limited vector-store endpoints (facts §4).
      return plan(undefined, () => {
        const store = new VectorStore(ctx.state.newId('vs_'), name ?? null, ctx.nowMs, tags.metadata ?? {});
        ctx.state.vectorStores.set(store.id, store);
        if (files.length > 0) {
          // Files given at creation are embedded too, but as no batch anyone can poll: a stream of their own.
          attach(ctx, store, files, 'vector_store_files');
        }
        return { body: store.toApi(ctx.nowMs) };
      });
    },
  },
  {
    id: 'vectorStores.retrieve',
    method: 'GET',
    path: '/vector_stores/:vector_store_id',
    body: 'none',
    plan: (ctx) => {
      const store = findStore(ctx);
      if (!(store instanceof VectorStore)) return store;
      return plan(undefined, () => ({ body: store.toApi(ctx.nowMs) }));
    },
  },
  {
    id: 'vectorStores.fileBatches.create',
    method: 'POST',
    path: '/vector_stores/:vector_store_id/file_batches',
    body: 'json',
    plan: (ctx) => {
      const store = findStore(ctx);
      if (!(store instanceof VectorStore)) return store;
      const files = batchFiles(ctx, ctx.body, true);
      if (!Array.isArray(files)) return files;
      return storePlan(ctx, store, () => {
        const job = attach(ctx, store, files, 'file_batch');
        store.lastActiveAt = ctx.nowMs;
        ctx.state.fileBatches.set(job.id, job);
        ctx.state.jobs.push(job);
        return { body: job.toApi(ctx.nowMs), job };
      });
    },
  },
  {
    id: 'vectorStores.fileBatches.retrieve',
    method: 'GET',
    path: '/vector_stores/:vector_store_id/file_batches/:batch_id',
    body: 'none',
    plan: (ctx) => {
      const found = findFileBatch(ctx);
      if (!('batch' in found)) return found;
      return storePlan(ctx, found.store, () => ({ body: found.batch.toApi(ctx.nowMs), job: found.batch }));
    },
  },
  {
    id: 'vectorStores.fileBatches.cancel',
    method: 'POST',
    path: '/vector_stores/:vector_store_id/file_batches/:batch_id/cancel',
    body: 'none',
    plan: (ctx) => {
      const found = findFileBatch(ctx);
      if (!('batch' in found)) return found;
      const { store, batch } = found;
      if (!batch.cancellable(ctx.nowMs))
        return openAIErrors.invalidRequest(
          `Cannot cancel a file batch with status '${batch.status(ctx.nowMs)}'.`,
        );
      return storePlan(ctx, store, () => {
        batch.cancel(ctx.nowMs);
        store.lastActiveAt = ctx.nowMs;
        return { body: batch.toApi(ctx.nowMs), job: batch };
      });
    },
  },
];
