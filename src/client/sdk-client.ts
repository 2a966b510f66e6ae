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
  private retryRandom: Random | undefined;

  constructor(options: ConstructorParameters<typeof OpenAI>[0], retryRandom: Random) {
    super(options);
    // `withOptions` builds its copy with the constructor and the options alone; the copy gets the
    // stream there (below), not here.
    this.retryRandom = retryRandom;
    if (retryRandom !== undefined) seedRetries(this, retryRandom);
  }

  /** A copy with other options, as the SDK's, drawing its retry jitter from the same stream. */
  override withOptions(options: Parameters<OpenAI['withOptions']>[0]): this {
    const copy = super.withOptions(options);
    copy.retryRandom = this.retryRandom;
    if (this.retryRandom !== undefined) seedRetries(copy, this.retryRandom);
    return copy;
  }
}

function seedRetries(sdk: OpenAI, retryRandom: Random): void {
  Object.defineProperty(sdk, 'calculateDefaultRetryTimeoutMillis', {
    value: (retriesRemaining: number, maxRetries: number) =>
      sdkDefaultBackoffMs(retriesRemaining, maxRetries, retryRandom),
  });
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
