import OpenAI, { toFile } from 'openai';
import { ApiCallError, type ApiClient, type CallResult, type JobBody } from './api-client.ts';
import type { ApiRequest } from './api-request.ts';

/** An SDK call not yet awaited: what every SDK method returns (an `APIPromise`). */
export interface SdkCall<T> {
  withResponse(): Promise<{ data: T; response: Response }>;
}

/** Awaits an SDK call for its parsed body and its response headers; its `APIError` as an {@link ApiCallError}. */
export async function callResult<T>(promise: SdkCall<T>): Promise<CallResult<T>> {
  try {
    const { data, response } = await promise.withResponse();
    return { data, headers: response.headers };
  } catch (error) {
    throw toCallError(error);
  }
}

function toCallError(error: unknown): unknown {
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const headers = error.headers ?? new Headers();
    return new ApiCallError(
      status,
      error.message,
      (error.code as string | null | undefined) ?? null,
      error.type ?? null,
      headers,
      error,
    );
  }
  return error;
}

const interval = (pollIntervalMs: number | undefined) =>
  pollIntervalMs === undefined ? {} : { pollIntervalMs };

/** Waits for one of the SDK's poll helpers, with its errors as the fast transport throws them. */
async function helper(poll: Promise<unknown>): Promise<JobBody> {
  try {
    return (await poll) as JobBody;
  } catch (error) {
    throw toCallError(error);
  }
}

/**
 * An {@link ApiClient} over an `openai` SDK instance, whoever made it: the SDK transport's seeded one,
 * or a user's own (`attachPoller`). Each request goes to the SDK method users call for it, with the
 * instance's own retries, timeouts and base URL; an SDK `APIError` becomes an {@link ApiCallError}
 * whose `cause` is the SDK's error.
 */
export function clientFromOpenAI(sdk: OpenAI): ApiClient {
  const threads = sdk.beta.threads;
  const call = (request: ApiRequest): Promise<CallResult<unknown>> => {
    // The bodies come from apiRequests, which writes them as the SDK params they are.
    // biome-ignore lint/suspicious/noExplicitAny: one switch maps every route to its typed SDK method.
    const body = (request.body ?? {}) as any;
    const {
      thread_id: threadId = '',
      run_id: runId = '',
      response_id: responseId = '',
      batch_id: batchId = '',
      vector_store_id: vectorStoreId = '',
    } = request.ids;
    switch (request.route) {
      case 'assistants.create':
        return callResult(sdk.beta.assistants.create(body));
      case 'threads.create':
        return callResult(threads.create(body));
      case 'files.create': {
        const form = request.form;
        return toFile(Buffer.alloc(form?.file?.bytes ?? 0, 0x61), form?.file?.name ?? 'file').then((file) =>
          callResult(
            sdk.files.create({ file, purpose: (form?.fields.purpose ?? 'assistants') as 'assistants' }),
          ),
        );
      }
      case 'messages.create':
        return callResult(threads.messages.create(threadId, body));
      case 'messages.list':
        return callResult(threads.messages.list(threadId) as unknown as SdkCall<unknown>);
      case 'runs.create':
        return callResult(threads.runs.create(threadId, body));
      case 'runs.retrieve':
        return callResult(threads.runs.retrieve(runId, { thread_id: threadId }));
      case 'responses.create':
        return callResult(sdk.responses.create(body));
      case 'responses.retrieve':
        return callResult(sdk.responses.retrieve(responseId));
      case 'batches.create':
        return callResult(sdk.batches.create(body));
      case 'batches.retrieve':
        return callResult(sdk.batches.retrieve(batchId));
      case 'vectorStores.create':
        return callResult(sdk.vectorStores.create(body));
      case 'vectorStores.fileBatches.create':
        return callResult(sdk.vectorStores.fileBatches.create(vectorStoreId, body));
      case 'vectorStores.fileBatches.retrieve':
        return callResult(sdk.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: vectorStoreId }));
      default:
        return Promise.reject(new Error(`the SDK transport does not send ${request.route}`));
    }
  };
  return {
    send: <T>(request: ApiRequest) => call(request) as Promise<CallResult<T>>,
    pollRun: (threadId, runId, pollIntervalMs) =>
      helper(threads.runs.poll(runId, { thread_id: threadId }, interval(pollIntervalMs))),
    pollFileBatch: (vectorStoreId, batchId, pollIntervalMs) =>
      helper(sdk.vectorStores.fileBatches.poll(vectorStoreId, batchId, interval(pollIntervalMs))),
  };
}
