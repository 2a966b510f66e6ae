import type { Random } from '../core/random.ts';
import {
  type CallResult,
  HELPER_INTERMEDIATE,
  type HeaderReader,
  type JobBody,
  TERMINAL,
} from './api-client.ts';
import {
  python251RetryDelayMs,
  python251ShouldRetry,
  pythonPollHelper,
  pythonRetryDelayMs,
  pythonShouldRetry,
} from './python-sdk.ts';
import { sdkRetryDelayMs, sdkShouldRetry } from './sdk-retry.ts';

/**
 * Whose SDK a client is: `node`, the `openai` npm package (what the SDK transport runs), `python`, the
 * `openai` Python package (3.3.1; emulated in the fast transport only; `python-sdk.ts`), or
 * `python-2.51`, the Python package before 2.52.0, which honoured a `Retry-After` up to 60 s only.
 */
export type SdkLang = 'node' | 'python' | 'python-2.51';
/** Every {@link SdkLang}, the default first. */
export const SDK_LANGS: readonly SdkLang[] = ['node', 'python', 'python-2.51'];

/** What the fast transport does in an SDK's place: its retries and its poll helpers. */
export interface SdkRules {
  /** Whether an error answer is retried (while retries remain). */
  shouldRetry(status: number, headers: HeaderReader): boolean;
  /** The sleep before a retry; `headers` absent after a timeout. @unit milliseconds */
  retryDelayMs(
    headers: HeaderReader | undefined,
    retriesRemaining: number,
    maxRetries: number,
    random: Random,
  ): number;
  /** The poll helper of runs and vector-store file batches, around one retrieve. */
  pollHelper(
    kind: 'run' | 'file_batch',
    pollIntervalMs: number | undefined,
    retrieve: () => Promise<CallResult<JobBody>>,
    sleep: (ms: number) => Promise<void>,
  ): Promise<JobBody>;
}

/**
 * openai-node's `pollWithResponse` (lib/polling.js), behind every poll helper: sleep at an intermediate
 * status (the caller's interval, an explicit 0 included, else `openai-poll-after-ms` read anew each
 * time, else 5 s), return at a terminal one, re-poll an unknown one at once (facts §5.3).
 */
async function nodePollHelper(
  kind: 'run' | 'file_batch',
  pollIntervalMs: number | undefined,
  retrieve: () => Promise<CallResult<JobBody>>,
  sleep: (ms: number) => Promise<void>,
): Promise<JobBody> {
  for (;;) {
    const { data, headers } = await retrieve();
    if (HELPER_INTERMEDIATE[kind].has(data.status)) {
      let ms = 5000;
      if (pollIntervalMs || pollIntervalMs === 0) ms = pollIntervalMs;
      else {
        const hinted = Number.parseInt(headers.get('openai-poll-after-ms') ?? '', 10);
        if (!Number.isNaN(hinted)) ms = hinted;
      }
      await sleep(ms);
    } else if (TERMINAL[kind].has(data.status)) return data;
  }
}

/** The rules of each SDK. */
export const SDK_RULES: Readonly<Record<SdkLang, SdkRules>> = {
  node: { shouldRetry: sdkShouldRetry, retryDelayMs: sdkRetryDelayMs, pollHelper: nodePollHelper },
  python: { shouldRetry: pythonShouldRetry, retryDelayMs: pythonRetryDelayMs, pollHelper: pythonPollHelper },
  'python-2.51': {
    shouldRetry: python251ShouldRetry,
    retryDelayMs: python251RetryDelayMs,
    pollHelper: pythonPollHelper,
  },
};
