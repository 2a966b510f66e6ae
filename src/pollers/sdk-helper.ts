import type { SdkLang } from '../client/sdk-rules.ts';
import { type Poller, type PollerFactory, pollUntilTerminal } from './poller.ts';

/**
 * `sdk`: what most code does. Runs and vector-store file batches are waited for with the SDK's own
 * helpers (`runs.poll`, `vectorStores.fileBatches.poll`: immediate first retrieve, then
 * `openai-poll-after-ms` or 5 s; with `lang=python`, the Python SDK's, whose fallback is 1 s and whose
 * first hint sticks); responses and batches, for which neither SDK has a helper, with the
 * background-mode docs' loop (sleep 2 s, retrieve). The SDK's default 2 retries.
 */
export const sdkPoller: PollerFactory = (ctx, params): Poller => ({
  name: 'sdk',
  params,
  maxRetries: params.retries as number,
  lang: params.lang as SdkLang,
  gapMs: 0,
  send: (request) => ctx.client.send(request),
  async waitFor(target) {
    if (target.kind === 'run' && target.threadId !== undefined)
      return ctx.client.pollRun(target.threadId, target.id);
    if (target.kind === 'file_batch' && target.vectorStoreId !== undefined)
      return ctx.client.pollFileBatch(target.vectorStoreId, target.id);
    return pollUntilTerminal(
      ctx,
      target,
      () => params.interval as number,
      (request) => ctx.client.send(request),
    );
  },
});
