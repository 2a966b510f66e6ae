import { ApiCallError } from '../client/api-client.ts';
import type { SdkLang } from '../client/sdk-rules.ts';
import { type BackoffShape, backoffDelay, type Jitter } from './jitter.ts';
import {
  JobAbandoned,
  type Poller,
  type PollerFactory,
  pollUntilTerminal,
  sendWithPolicy,
} from './poller.ts';

/** Errors worth waiting out: 429 rate limits, 5xx, timeouts (not quota or "too large"). */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiCallError)) return false;
  if (error.status === 429)
    return error.code !== 'insufficient_quota' && !error.message.includes('Request too large');
  return error.status === 0 || error.status === 408 || error.status >= 500;
}

/**
 * `backoff`: exponential delays (`base`, `factor`, `cap`) with `none | full | equal | decorrelated`
 * jitter, between polls and after transient errors. Gives up on a job after `attempts` polls, and
 * on a request after `attempts` failures. SDK retries off by default so the strategy is the only one.
 */
export const backoffPoller: PollerFactory = (ctx, params): Poller => {
  const shape: BackoffShape = {
    baseMs: params.base as number,
    factor: params.factor as number,
    capMs: params.cap as number,
    jitter: params.jitter as Jitter,
  };
  const attempts = params.attempts as number;
  return {
    name: 'backoff',
    params,
    maxRetries: params.retries as number,
    lang: params.lang as SdkLang,
    gapMs: params.gap as number,
    send(request) {
      let previous = shape.baseMs;
      return sendWithPolicy(ctx, request, (error, attempt) => {
        if (!isTransient(error) || attempt >= attempts) return undefined;
        previous = backoffDelay(shape, attempt - 1, previous, ctx.random);
        return previous;
      });
    },
    waitFor(target) {
      let previous = shape.baseMs;
      const delay = (n: number) => {
        if (n >= attempts) throw new JobAbandoned(`gave up on ${target.id} after ${attempts} polls`);
        previous = backoffDelay(shape, n, previous, ctx.random);
        return previous;
      };
      return pollUntilTerminal(ctx, target, delay, (request) => this.send(request));
    },
  };
};
