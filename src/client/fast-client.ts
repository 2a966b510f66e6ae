import type { Clock } from '../core/clock.ts';
import { shown } from '../core/input-issue.ts';
import type { Random } from '../core/random.ts';
import type { CoreRequest, MockCore } from '../server/mock-core.ts';
import type { FormFields } from '../server/routes/route.ts';
import {
  ApiCallError,
  type ApiClient,
  type CallResult,
  type HeaderReader,
  type JobBody,
} from './api-client.ts';
import { apiRequests } from './api-request.ts';
import { SDK_DEFAULT_MAX_RETRIES, SDK_DEFAULT_TIMEOUT_MS } from './sdk-retry.ts';
import { SDK_LANGS, SDK_RULES, type SdkLang } from './sdk-rules.ts';

/** Options of {@link createFastClient}. */
export interface FastClientOptions {
  readonly core: MockCore;
  readonly clock: Clock;
  /** Jitter of the emulated SDK retries (give the SDK transport the same stream). */
  readonly retryRandom: Random;
  /** Sent as `x-pollbench-client`, so the mock can tell clients apart. */
  readonly clientId: string;
  /** @defaultValue `'sk-pollbench'` */
  readonly apiKey?: string | undefined;
  /** @defaultValue 2, the SDK's */
  readonly maxRetries?: number | undefined;
  /** @defaultValue 600 000, the SDK's @unit milliseconds */
  readonly timeoutMs?: number | undefined;
  /**
   * Whose SDK's retries and poll helpers to follow: the Node SDK's, which the SDK transport runs, or
   * the Python SDK's. @defaultValue `'node'`
   */
  readonly lang?: SdkLang | undefined;
  /** Hold each request at the server until the limiter admits it (the oracle's transport). */
  readonly waitForAdmission?: boolean | undefined;
}

function reader(headers: Record<string, string>): HeaderReader {
  return { get: (name) => headers[name] ?? null };
}
const NO_HEADERS: HeaderReader = { get: () => null };

/**
 * The fast transport: calls the mock's core directly (no HTTP, no SDK) and applies the SDK's retry and
 * timeout rules itself, so it makes exactly the requests the SDK transport makes, only faster. With
 * `lang: 'python'` it follows the Python SDK's rules instead, which no other transport can.
 */
export function createFastClient(options: FastClientOptions): ApiClient {
  const { core, clock, retryRandom } = options;
  const authorization = `Bearer ${options.apiKey ?? 'sk-pollbench'}`;
  const maxRetries = options.maxRetries ?? SDK_DEFAULT_MAX_RETRIES;
  const timeoutMs = options.timeoutMs ?? SDK_DEFAULT_TIMEOUT_MS;
  const lang = options.lang ?? 'node';
  // Checked here, not on the first retry: a client built in JavaScript can name any SDK.
  if (!Object.hasOwn(SDK_RULES, lang))
    throw new RangeError(
      `createFastClient: lang: expected one of ${SDK_LANGS.join(', ')}; got ${shown(lang)}`,
    );
  const rules = SDK_RULES[lang];
  const sleep = (ms: number) => clock.sleep(ms);

  async function call<T>(
    method: string,
    path: string,
    body: unknown,
    form: FormFields | undefined,
  ): Promise<CallResult<T>> {
    const request: CoreRequest = { method, path, authorization, client: options.clientId, body, form };
    for (let retriesRemaining = maxRetries; ; retriesRemaining--) {
      const answer = await core.handleOrdered(request, options.waitForAdmission === true);
      if (answer.delayMs >= timeoutMs) {
        // The SDK aborts at its timeout and retries a timed-out request with the default backoff.
        await clock.sleep(timeoutMs);
        if (retriesRemaining <= 0) throw new ApiCallError(0, 'Request timed out.', null, null, NO_HEADERS);
        await clock.sleep(rules.retryDelayMs(undefined, retriesRemaining, maxRetries, retryRandom));
        continue;
      }
      await clock.sleep(answer.delayMs);
      const headers = reader(answer.headers);
      if (answer.status < 400) return { data: answer.body as T, headers };
      if (retriesRemaining > 0 && rules.shouldRetry(answer.status, headers)) {
        await clock.sleep(rules.retryDelayMs(headers, retriesRemaining, maxRetries, retryRandom));
        continue;
      }
      const error = (
        answer.body as { error?: { message?: string; code?: string | null; type?: string | null } }
      ).error;
      throw new ApiCallError(
        answer.status,
        `${answer.status} ${error?.message ?? ''}`,
        error?.code ?? null,
        error?.type ?? null,
        headers,
      );
    }
  }

  const client: ApiClient = {
    send: (request) => call(request.method, request.path, request.body, request.form),
    pollRun: (threadId, runId, pollIntervalMs) => {
      const retrieve = apiRequests.retrieveRun(threadId, runId);
      return rules.pollHelper('run', pollIntervalMs, () => client.send<JobBody>(retrieve), sleep);
    },
    pollFileBatch: (vectorStoreId, batchId, pollIntervalMs) => {
      const retrieve = apiRequests.retrieveFileBatch(vectorStoreId, batchId);
      return rules.pollHelper('file_batch', pollIntervalMs, () => client.send<JobBody>(retrieve), sleep);
    },
  };
  return client;
}
