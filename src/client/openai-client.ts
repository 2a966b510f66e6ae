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
  // The caller's own abort is not an answer of the API: it must not be retried as a timeout.
  if (error instanceof OpenAI.APIError && !(error instanceof OpenAI.APIUserAbortError)) {
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

/** Waits for one of the SDK's poll helpers, with its errors as the fast transport throws them. */
async function helper(poll: Promise<unknown>): Promise<JobBody> {
  try {
    return (await poll) as JobBody;
  } catch (error) {
    throw toCallError(error);
  }
}

/** Options of {@link clientFromOpenAI}. */
export interface OpenAIClientOptions {
  /**
   * Read at each call: the signal to abort it with (`attachPoller` gives each wait its own). An aborted
   * call throws the SDK's `APIUserAbortError` as it is, not as an API answer. @defaultValue none
   */
  readonly signal?: (() => AbortSignal | undefined) | undefined;
}

/**
 * An {@link ApiClient} over an `openai` SDK instance, whoever made it: the SDK transport's seeded one,
 * or a user's own (`attachPoller`). Each request goes to the SDK method users call for it, with the
 * instance's own retries, timeouts and base URL; an SDK `APIError` becomes an {@link ApiCallError}
 * whose `cause` is the SDK's error.
 */
export function clientFromOpenAI(sdk: OpenAI, options: OpenAIClientOptions = {}): ApiClient {
  const threads = sdk.beta.threads;
  // Request options for one call: the caller's signal, when there is one; none at all otherwise, so a
  // simulation's calls are exactly the calls a program makes without options.
  const requestOptions = (): { signal: AbortSignal } | undefined => {
    const signal = options.signal?.();
    return signal === undefined ? undefined : { signal };
  };
  const interval = (pollIntervalMs: number | undefined) => ({
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
    ...requestOptions(),
  });
  const call = (request: ApiRequest): Promise<CallResult<unknown>> => {
    const o = requestOptions();
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
        return callResult(sdk.beta.assistants.create(body, o));
      case 'threads.create':
        return callResult(threads.create(body, o));
      case 'files.create': {
        const form = request.form;
        return toFile(Buffer.alloc(form?.file?.bytes ?? 0, 0x61), form?.file?.name ?? 'file').then((file) =>
          callResult(
            sdk.files.create({ file, purpose: (form?.fields.purpose ?? 'assistants') as 'assistants' }, o),
          ),
        );
      }
      case 'messages.create':
        return callResult(threads.messages.create(threadId, body, o));
      case 'messages.list':
        return callResult(threads.messages.list(threadId, {}, o) as unknown as SdkCall<unknown>);
      case 'runs.create':
        return callResult(threads.runs.create(threadId, body, o));
      case 'runs.retrieve':
        return callResult(threads.runs.retrieve(runId, { thread_id: threadId }, o));
      case 'responses.create':
        return callResult(sdk.responses.create(body, o));
      case 'responses.retrieve':
        return callResult(sdk.responses.retrieve(responseId, {}, o));
      case 'batches.create':
        return callResult(sdk.batches.create(body, o));
      case 'batches.retrieve':
        return callResult(sdk.batches.retrieve(batchId, o));
      case 'vectorStores.create':
        return callResult(sdk.vectorStores.create(body, o));
      case 'vectorStores.fileBatches.create':
        return callResult(sdk.vectorStores.fileBatches.create(vectorStoreId, body, o));
      case 'vectorStores.fileBatches.retrieve':
        return callResult(
          sdk.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: vectorStoreId }, o),
        );
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
