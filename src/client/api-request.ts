import type { FormFields, RouteId } from '../server/routes/route.ts';

/** One API call as data: what the fast transport hands the core, and what the SDK transport maps to an SDK method. */
export interface ApiRequest {
  readonly route: RouteId;
  readonly method: 'GET' | 'POST';
  /** Path after `/v1`. */
  readonly path: string;
  readonly body?: Readonly<Record<string, unknown>> | undefined;
  readonly form?: FormFields | undefined;
  /** Ids the SDK method needs (`thread_id`, `run_id`, …). */
  readonly ids: Readonly<Record<string, string>>;
}

/** Builders for every request the workloads make, with the bodies the SDK would send. */
export const apiRequests = {
  createAssistant: (model: string, instructions: string): ApiRequest => ({
    route: 'assistants.create',
    method: 'POST',
    path: '/assistants',
    body: { model, instructions },
    ids: {},
  }),
  createThread: (): ApiRequest => ({
    route: 'threads.create',
    method: 'POST',
    path: '/threads',
    body: {},
    ids: {},
  }),
  uploadFile: (name: string, bytes: number, purpose: string): ApiRequest => ({
    route: 'files.create',
    method: 'POST',
    path: '/files',
    form: { fields: { purpose }, file: { name, bytes } },
    ids: {},
  }),
  createMessage: (threadId: string, content: string): ApiRequest => ({
    route: 'messages.create',
    method: 'POST',
    path: `/threads/${threadId}/messages`,
    body: { role: 'user', content },
    ids: { thread_id: threadId },
  }),
  createRun: (threadId: string, assistantId: string): ApiRequest => ({
    route: 'runs.create',
    method: 'POST',
    path: `/threads/${threadId}/runs`,
    body: { assistant_id: assistantId },
    ids: { thread_id: threadId },
  }),
  retrieveRun: (threadId: string, runId: string): ApiRequest => ({
    route: 'runs.retrieve',
    method: 'GET',
    path: `/threads/${threadId}/runs/${runId}`,
    ids: { thread_id: threadId, run_id: runId },
  }),
  listMessages: (threadId: string): ApiRequest => ({
    route: 'messages.list',
    method: 'GET',
    path: `/threads/${threadId}/messages`,
    ids: { thread_id: threadId },
  }),
  createResponse: (model: string, input: string, maxOutputTokens?: number): ApiRequest => ({
    route: 'responses.create',
    method: 'POST',
    path: '/responses',
    body: {
      model,
      input,
      background: true,
      ...(maxOutputTokens === undefined ? {} : { max_output_tokens: maxOutputTokens }),
    },
    ids: {},
  }),
  retrieveResponse: (id: string): ApiRequest => ({
    route: 'responses.retrieve',
    method: 'GET',
    path: `/responses/${id}`,
    ids: { response_id: id },
  }),
  createBatch: (inputFileId: string): ApiRequest => ({
    route: 'batches.create',
    method: 'POST',
    path: '/batches',
    body: { input_file_id: inputFileId, endpoint: '/v1/responses', completion_window: '24h' },
    ids: {},
  }),
  retrieveBatch: (id: string): ApiRequest => ({
    route: 'batches.retrieve',
    method: 'GET',
    path: `/batches/${id}`,
    ids: { batch_id: id },
  }),
  createVectorStore: (name: string): ApiRequest => ({
    route: 'vectorStores.create',
    method: 'POST',
    path: '/vector_stores',
    body: { name },
    ids: {},
  }),
  createFileBatch: (vectorStoreId: string, fileIds: readonly string[]): ApiRequest => ({
    route: 'vectorStores.fileBatches.create',
    method: 'POST',
    path: `/vector_stores/${vectorStoreId}/file_batches`,
    body: { file_ids: fileIds },
    ids: { vector_store_id: vectorStoreId },
  }),
  retrieveFileBatch: (vectorStoreId: string, batchId: string): ApiRequest => ({
    route: 'vectorStores.fileBatches.retrieve',
    method: 'GET',
    path: `/vector_stores/${vectorStoreId}/file_batches/${batchId}`,
    ids: { vector_store_id: vectorStoreId, batch_id: batchId },
  }),
};
