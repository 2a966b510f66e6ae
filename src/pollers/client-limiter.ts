import { isRetryableRateLimit } from '../client/api-client.ts';
import type { SdkLang } from '../client/sdk-rules.ts';
import { isTransient } from './backoff.ts';
import { type Poller, type PollerFactory, pollUntilTerminal, sendWithPolicy } from './poller.ts';

/**
 * `limiter`: the OpenAI cookbook's `api_request_parallel_processor.py` approach. A client-side bucket
 * per dimension set to the tier's published RPM and TPM (capacity = the limit, refilled at limit/60 s),
 * every request waits for capacity, and after a 429 every request pauses 15 s (`pause`). Polls every
 * `interval`. Knows nothing of the server's headers. With `clients=N`, the published limits are divided
 * among N processes of the program, as the cookbook's limits would have to be set by hand.
 */
export const limiterPoller: PollerFactory = (ctx, params): Poller => {
  // The published limits are the organization's: processes that share them each take their part. A
  // rate given in the parameters is this process's own already.
  const clients = params.clients as number;
  const published = (limit: number | undefined) => (limit === undefined ? undefined : limit / clients);
  const rpm = (params.rpm as number) || published(ctx.publishedLimits?.rpm) || Number.POSITIVE_INFINITY;
  const tpm = (params.tpm as number) || published(ctx.publishedLimits?.tpm) || Number.POSITIVE_INFINITY;
  let requestCapacity = rpm;
  let tokenCapacity = tpm;
  let last = ctx.clock.now();
  let pauseUntil = Number.NEGATIVE_INFINITY;

  // A dimension with no limit (none given, none published: a vector store has no TPM) is never
  // waited for; refilling it would compute 0 × ∞ = NaN, and NaN capacity never admits.
  const refill = () => {
    const now = ctx.clock.now();
    if (Number.isFinite(rpm))
      requestCapacity = Math.min(rpm, requestCapacity + ((now - last) * rpm) / 60_000);
    if (Number.isFinite(tpm)) tokenCapacity = Math.min(tpm, tokenCapacity + ((now - last) * tpm) / 60_000);
    last = now;
  };
  const acquire = async (tokens: number) => {
    // An aborted job's request stops waiting at once, and keeps no timer (attachPoller's signal).
    const signal = ctx.signal?.();
    for (;;) {
      signal?.throwIfAborted();
      const now = ctx.clock.now();
      if (now < pauseUntil) {
        await ctx.clock.sleep(pauseUntil - now, signal);
        continue;
      }
      refill();
      // A request larger than the bucket goes once it is full, and empties it (the server then refuses
      // it), rather than waiting for a level the bucket never reaches.
      const need = Math.min(tokens, tpm);
      const wait = Math.max(
        requestCapacity >= 1 ? 0 : ((1 - requestCapacity) * 60_000) / rpm,
        tokenCapacity >= need ? 0 : ((need - tokenCapacity) * 60_000) / tpm,
      );
      if (wait <= 0) {
        requestCapacity -= 1;
        tokenCapacity -= need;
        return;
      }
      await ctx.clock.sleep(Math.max(1, wait), signal);
    }
  };
  const poller: Poller = {
    name: 'limiter',
    params,
    maxRetries: params.retries as number,
    lang: params.lang as SdkLang,
    gapMs: 0,
    send(request, tokens = 0) {
      return sendWithPolicy(
        ctx,
        request,
        (error, attempt) => {
          if (!isTransient(error) || attempt >= (params.attempts as number)) return undefined;
          if (isRetryableRateLimit(error)) pauseUntil = ctx.clock.now() + (params.pause as number);
          return 0;
        },
        () => acquire(tokens),
      );
    },
    waitFor: (target) =>
      pollUntilTerminal(
        ctx,
        target,
        () => params.interval as number,
        (request) => poller.send(request),
      ),
  };
  return poller;
};
