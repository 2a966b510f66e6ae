import OpenAI, { toFile } from 'openai';
import type { Random } from '../core/random.ts';
import { WAIT_FOR_ADMISSION_HEADER } from '../server/create-mock-openai.ts';
import { ApiCallError, type ApiClient, type CallResult, type JobBody } from './api-client.ts';
import type { ApiRequest } from './api-request.ts';
import { sdkDefaultBackoffMs } from './sdk-retry.ts';

/**
 * The real `openai` SDK, with its retry jitter drawn from a seeded stream instead of `Math.random`
 * (the SDK's `calculateDefaultRetryTimeoutMillis` is replaced on the instance: it is `private` in the
 * typings but an ordinary method at run time). Everything else is the SDK as users run it.
 */
export class SeededOpenAI extends OpenAI {
  constructor(options: ConstructorParameters<typeof OpenAI>[0], retryRandom: Random) {
    super(options);
    Object.defineProperty(this, 'calculateDefaultRetryTimeoutMillis', {
      value: (retriesRemaining: number, maxRetries: number) =>
        sdkDefaultBackoffMs(retriesRemaining, maxRetries, retryRandom),
    });
  }
}

/** Options of {@link createSdkClient}. */
export interface SdkClientOptions {
  readonly baseURL: string;
  readonly fetch: typeof fetch;
  readonly retryRandom: Random;
  readonly clientId: string;
  readonly apiKey?: string | undefined;
  /** @defaultValue 2, the SDK's */
  readonly maxRetries?: number | undefined;
  /** Hold each request at the server until the limiter admits it (the oracle's transport). */
  readonly waitForAdmission?: boolean | undefined;
}

async function wrap<T>(promise: {
  withResponse(): Promise<{ data: T; response: Response }>;
}): Promise<CallResult<T>> {
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

/** The SDK transport's {@link ApiClient}: every call goes through the real SDK. */
export function createSdkClient(options: SdkClientOptions): ApiClient {
  const sdk = new SeededOpenAI(
    {
      apiKey: options.apiKey ?? 'sk-pollbench',
      baseURL: options.baseURL,
      fetch: options.fetch,
      maxRetries: options.maxRetries ?? 2,
      defaultHeaders: {
        'x-pollbench-client': options.clientId,
        ...(options.waitForAdmission ? { [WAIT_FOR_ADMISSION_HEADER]: 'true' } : {}),
      },
    },
    options.retryRandom,
  );
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
        return wrap(sdk.beta.assistants.create(body));
      case 'threads.create':
        return wrap(threads.create(body));
      case 'files.create': {
        const form = request.form;
        return toFile(Buffer.alloc(form?.file?.bytes ?? 0, 0x61), form?.file?.name ?? 'file').then((file) =>
          wrap(sdk.files.create({ file, purpose: (form?.fields.purpose ?? 'assistants') as 'assistants' })),
        );
      }
      case 'messages.create':
        return wrap(threads.messages.create(threadId, body));
      case 'messages.list':
        return wrap(
          threads.messages.list(threadId) as unknown as {
            withResponse(): Promise<{ data: unknown; response: Response }>;
          },
        );
      case 'runs.create':
        return wrap(threads.runs.create(threadId, body));
      case 'runs.retrieve':
        return wrap(threads.runs.retrieve(runId, { thread_id: threadId }));
      case 'responses.create':
        return wrap(sdk.responses.create(body));
      case 'responses.retrieve':
        return wrap(sdk.responses.retrieve(responseId));
      case 'batches.create':
        return wrap(sdk.batches.create(body));
      case 'batches.retrieve':
        return wrap(sdk.batches.retrieve(batchId));
      case 'vectorStores.create':
        return wrap(sdk.vectorStores.create(body));
      case 'vectorStores.fileBatches.create':
        return wrap(sdk.vectorStores.fileBatches.create(vectorStoreId, body));
      case 'vectorStores.fileBatches.retrieve':
        return wrap(sdk.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: vectorStoreId }));
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
