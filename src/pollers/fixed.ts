import type { SdkLang } from '../client/sdk-rules.ts';
import { type Poller, type PollerFactory, pollUntilTerminal } from './poller.ts';

/**
 * `fixed`: sleep `interval` before every poll; optionally `gap` between jobs. The seed program is
 * `fixed:interval=10s,gap=20s` (its `time.sleep(10)` before each `runs.retrieve`, `time.sleep(20)`
 * between files); the background-mode docs' loop is `fixed:interval=2s`. Errors are left to the SDK's
 * own retries (`retries`, default 2), as in those programs.
 */
export const fixedPoller: PollerFactory = (ctx, params): Poller => {
  const interval = params.interval as number;
  return {
    name: 'fixed',
    params,
    maxRetries: params.retries as number,
    lang: params.lang as SdkLang,
    gapMs: params.gap as number,
    send: (request) => ctx.client.send(request),
    waitFor: (target) =>
      pollUntilTerminal(
        ctx,
        target,
        () => interval,
        (request) => ctx.client.send(request),
      ),
  };
};
