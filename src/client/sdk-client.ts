import OpenAI from 'openai';
import type { Random } from '../core/random.ts';
import { WAIT_FOR_ADMISSION_HEADER } from '../server/create-mock-openai.ts';
import type { ApiClient } from './api-client.ts';
import { clientFromOpenAI } from './openai-client.ts';
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
  return clientFromOpenAI(sdk);
}
