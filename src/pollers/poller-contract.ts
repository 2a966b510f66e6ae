import { type JobBody, TERMINAL } from '../client/api-client.ts';
import { SDK_LANGS } from '../client/sdk-rules.ts';
import { shown } from '../core/input-issue.ts';
import type { Poller, PollTarget } from './poller.ts';

const KIND_NAMES: Readonly<Record<PollTarget['kind'], string>> = {
  run: 'a run',
  response: 'a response',
  batch: 'a batch',
  file_batch: 'a vector-store file batch',
};

/**
 * What is wrong with the object a poller factory returned, or `undefined` if it is a {@link Poller}:
 * `send` and `waitFor` functions, `maxRetries` a whole number ≥ 0 (the client's SDK retries), `gapMs` a
 * finite number ≥ 0, `lang` absent or one of {@link SDK_LANGS}. A factory written in JavaScript, or cast,
 * can return anything; the simulator says which field is wrong rather than failing later on `undefined`.
 */
export function pollerProblem(poller: unknown): string | undefined {
  if (typeof poller !== 'object' || poller === null)
    return `its factory returned ${shown(poller)}; expected a Poller object (name, params, maxRetries, gapMs, send, waitFor)`;
  const p = poller as Record<string, unknown>;
  for (const method of ['send', 'waitFor'])
    if (typeof p[method] !== 'function') return `its ${method}: expected a function; got ${shown(p[method])}`;
  const { maxRetries, gapMs } = p;
  if (typeof maxRetries !== 'number' || !Number.isInteger(maxRetries) || maxRetries < 0)
    return `its maxRetries: expected a whole number ≥ 0 (the SDK's retries; the SDK's default is 2); got ${shown(maxRetries)}`;
  if (p.lang !== undefined && !(SDK_LANGS as readonly unknown[]).includes(p.lang))
    return `its lang: expected one of ${SDK_LANGS.join(', ')} (whose SDK its client is), or none for node; got ${shown(p.lang)}`;
  if (typeof gapMs !== 'number' || !Number.isFinite(gapMs) || gapMs < 0)
    return `its gapMs: expected milliseconds ≥ 0 (the pause after each job); got ${shown(gapMs)}`;
  return undefined;
}

/**
 * What is wrong with the body `waitFor` returned for `target`, or `undefined` if it is the job's body
 * at a terminal status ({@link TERMINAL}). A poller that returns before the job ends would otherwise
 * have the job counted as failed, and finish sooner than the oracle, which is impossible.
 */
export function finalBodyProblem(target: PollTarget, body: unknown): string | undefined {
  const terminal = TERMINAL[target.kind];
  const expected = `expected the last body of ${KIND_NAMES[target.kind]} at a terminal status (${[...terminal].join(', ')})`;
  if (typeof body !== 'object' || body === null) return `waitFor returned ${shown(body)}; ${expected}`;
  const { id, status } = body as Partial<JobBody>;
  if (id !== target.id)
    return `waitFor returned a body whose id is ${shown(id)} for job '${target.id}'; ${expected}`;
  if (typeof status !== 'string' || !terminal.has(status))
    return `waitFor returned job '${target.id}' at status ${shown(status)}, before it ended; ${expected}`;
  return undefined;
}

/**
 * What is wrong with what `send` resolved to, or `undefined` if it is a call's result (`data` and
 * `headers`, as `ctx.client.send` gives them): the workload reads the created objects' ids from it.
 */
export function sendResultProblem(result: unknown): string | undefined {
  if (typeof result === 'object' && result !== null && 'data' in result && 'headers' in result)
    return undefined;
  return `send returned ${shown(result)}; expected the result of ctx.client.send(request) ({ data, headers })`;
}
