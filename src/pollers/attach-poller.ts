import { AsyncLocalStorage } from 'node:async_hooks';
import type OpenAI from 'openai';
import { z } from 'zod';
import { ApiCallError, type ApiClient, type JobBody } from '../client/api-client.ts';
import { type ApiRequest, apiRequests } from '../client/api-request.ts';
import { callResult, clientFromOpenAI, type SdkCall } from '../client/openai-client.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { schemaProblem, shown } from '../core/input-issue.ts';
import { createRandom, freshSeed, type Random } from '../core/random.ts';
import { modelLimitsShape } from '../server/limits/limits-file.ts';
import { noLimitsProblem, resolveModelLimits } from '../server/limits/resolve-model.ts';
import { TIER_TABLES, TIERS, type Tier } from '../server/limits/tier-tables.ts';
import type { ModelLimits } from '../server/limits/types.ts';
import { clockSchema } from '../server/mock-options-check.ts';
import type { RouteId } from '../server/routes/route.ts';
import { abortableSleeps, untilAborted } from './abort-scope.ts';
import type { Poller, PollerContext, PollerParams, PollTarget } from './poller.ts';
import { finalBodyProblem, pollerProblem } from './poller-contract.ts';
import { POLLERS, type PollerChoice, type PollerEntry, parsePollerSpec, resolvePoller } from './registry.ts';

/** Options of {@link attachPoller}. */
export interface AttachOptions {
  /**
   * The organization's usage tier: with `model`, the published limits `limiter` paces to and `adaptive`
   * falls back on when a 429 carries no headers. @defaultValue none
   */
  readonly tier?: Tier | undefined;
  /** The model whose limits `tier` gives. Required with `tier`. */
  readonly model?: string | undefined;
  /** The published limits themselves, instead of `tier` and `model`. @defaultValue none */
  readonly limits?: ModelLimits | undefined;
  /** The poller's clock. @defaultValue the wall clock ({@link systemClock}) */
  readonly clock?: Clock | undefined;
  /**
   * Seed of the poller's jitter. @defaultValue a fresh one from the operating system, so that two
   * processes do not jitter alike
   */
  readonly seed?: number | undefined;
  /**
   * The poller's jitter stream itself, instead of `seed`: a simulated client's
   * (`createRandom(seed).stream('client:0').stream('poller')`) makes the same decisions it made there.
   * @defaultValue `createRandom(seed).stream('poller')`
   */
  readonly random?: Random | undefined;
}

/**
 * Makes one SDK call with the poller's client, and returns it unawaited (the poller reads the answer's
 * headers). `options` are request options for the call: pass them on, and the send's `signal` aborts
 * the call and the SDK's own retry sleeps too (`(openai, options) => openai.batches.create(body, options)`).
 */
export type SdkCallMaker<T> = (openai: OpenAI, options: { readonly signal?: AbortSignal }) => SdkCall<T>;

/** Options of {@link AttachedPoller.send}. */
export interface SendOptions {
  /**
   * Which requests are alike to the limits. `adaptive` learns per label whether the limits count them
   * (an answer without `x-ratelimit-*` headers says they do not): give calls that count (creates) and
   * calls that may not (file uploads) different labels. @defaultValue `'call'`
   */
  readonly label?: string | undefined;
  /** The call's token estimate: what the limits count against TPM (prompt and max output). @defaultValue 0 */
  readonly tokens?: number | undefined;
  /**
   * Stops the send: it rejects with the signal's reason at once, and the call is not made if it has not
   * been; a call made with the options `call` is given is aborted too. @defaultValue none
   */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link AttachedPoller.waitFor}. */
export interface WaitOptions {
  /**
   * When the job was created, on the poller's clock. @defaultValue now: call `waitFor` as soon as the
   * create returns @unit milliseconds
   */
  readonly createdAtMs?: number | undefined;
  /**
   * Stops waiting: `waitFor` rejects with the signal's reason at once, the poll in flight is aborted, and
   * no request for this job is sent after it. The job itself goes on at OpenAI (cancel it there if it
   * should not). @defaultValue none
   */
  readonly signal?: AbortSignal | undefined;
}

/** A job object as the SDK returns it, from the create call or any retrieve. */
export type Waitable =
  | { readonly object: 'response'; readonly id: string; readonly status?: string | null | undefined }
  | {
      readonly object: 'thread.run';
      readonly id: string;
      readonly thread_id: string;
      readonly status: string;
    }
  | { readonly object: 'batch'; readonly id: string; readonly status: string }
  | {
      readonly object: 'vector_store.files_batch';
      readonly id: string;
      readonly vector_store_id: string;
      readonly status: string;
    };

/** A poller working for a program, around its own `openai` client. */
export interface AttachedPoller {
  readonly name: string;
  /** Every parameter, defaults filled in. */
  readonly params: PollerParams;
  /**
   * The client the poller's requests go through: the one given, or a copy of it with the poller's own
   * SDK retries (its `retries` parameter), made with `withOptions`.
   */
  readonly openai: OpenAI;
  /**
   * Sends one SDK call through the poller: paced and retried by its strategy (`adaptive` spaces every
   * call to the budget the headers report; `limiter` to the published limits). `call` gets
   * {@link AttachedPoller.openai} and request options, and returns the SDK's call unawaited
   * ({@link SdkCallMaker}).
   * @returns the call's parsed body
   * @throws the SDK's own `APIError` once the strategy gives up; the signal's reason once it aborts
   */
  send<T>(call: SdkCallMaker<T>, options?: SendOptions): Promise<T>;
  /**
   * Polls `job` (a response, a run, a batch or a vector-store file batch, as its create returned it)
   * until it reaches a terminal status, the strategy's way.
   * @returns the job's last body, at a terminal status
   * @throws the SDK's own `APIError`, or {@link JobAbandoned} when the strategy gives up on the job
   */
  waitFor<T extends Waitable>(job: T, options?: WaitOptions): Promise<T>;
}

const KINDS: Readonly<Record<Waitable['object'], PollTarget['kind']>> = {
  response: 'response',
  'thread.run': 'run',
  batch: 'batch',
  'vector_store.files_batch': 'file_batch',
};

/** A string field of an SDK object, or what was there instead. */
function field(job: Record<string, unknown>, name: string): string {
  const value = job[name];
  if (typeof value !== 'string' || value === '')
    throw new TypeError(
      `waitFor: the ${String(job.object)}'s ${name}: expected a non-empty string; got ${shown(value)}`,
    );
  return value;
}

/** The retrieve request and job kind for an SDK job object. */
function targetOf(job: unknown, createdAtMs: number): PollTarget {
  const object = (job as { object?: unknown } | null)?.object;
  if (typeof job !== 'object' || job === null || typeof object !== 'string' || !Object.hasOwn(KINDS, object))
    throw new TypeError(
      `waitFor: expected a job object as the SDK returns it (object ${Object.keys(KINDS).join(', ')}); got ${typeof job === 'object' && job !== null ? `object ${shown(object)}` : shown(job)}`,
    );
  const body = job as Record<string, unknown>;
  const id = field(body, 'id');
  const kind = KINDS[object as Waitable['object']];
  let retrieve: ApiRequest;
  let threadId: string | undefined;
  let vectorStoreId: string | undefined;
  if (kind === 'run') {
    threadId = field(body, 'thread_id');
    retrieve = apiRequests.retrieveRun(threadId, id);
  } else if (kind === 'file_batch') {
    vectorStoreId = field(body, 'vector_store_id');
    retrieve = apiRequests.retrieveFileBatch(vectorStoreId, id);
  } else retrieve = kind === 'response' ? apiRequests.retrieveResponse(id) : apiRequests.retrieveBatch(id);
  // A background response's status is always set; a body without one is taken as still running.
  const initial = { ...body, id, status: typeof body.status === 'string' ? body.status : '' } as JobBody;
  return { kind, id, threadId, vectorStoreId, createdAtMs, initial, retrieve };
}

// Each field alone, with the bounds the rest of pollbench applies (the mock's options, a limits file);
// how they go together is checked in code below. Not strict, as the mock's options are not.
const optionsSchema = z.object({
  tier: z.enum(TIERS).optional(),
  model: z.string().min(1).optional(),
  limits: z.object(modelLimitsShape).strict().optional(),
  clock: clockSchema.optional(),
  seed: z.number().int().optional(),
  random: z
    .custom<unknown>((r) => typeof (r as Partial<Random> | null)?.next === 'function', {
      message: 'expected a Random (createRandom(seed).stream(name))',
    })
    .optional(),
});

/** The limits the options name, checked. */
function publishedLimits(options: AttachOptions): ModelLimits | undefined {
  if (options.limits !== undefined) {
    if (options.tier !== undefined)
      throw new RangeError('attachPoller: give either limits or tier and model, not both');
    return options.limits;
  }
  if (options.tier === undefined) {
    if (options.model !== undefined)
      throw new RangeError(
        `attachPoller: model ${shown(options.model)} needs a tier to read its limits from`,
      );
    return undefined;
  }
  const table = TIER_TABLES[options.tier];
  if (options.model === undefined)
    throw new RangeError(`attachPoller: tier ${options.tier} needs a model: limits are per model`);
  const problem = noLimitsProblem(table, options.model);
  if (problem !== undefined) throw new RangeError(`attachPoller: ${problem}`);
  return resolveModelLimits(table, options.model)?.limits;
}

/** The SDK's error a poller's error stands for: a program catches the SDK's classes, not pollbench's. */
function sdkError(error: unknown): unknown {
  return error instanceof ApiCallError && error.cause !== undefined ? error.cause : error;
}

/**
 * Puts a poller to work in a program, around its own `openai` client: against the real API, or any
 * server the client points at. The poller is the one a simulation runs under the same spec, and keeps
 * what it learns (the budget, job durations) across every call and job of the returned object: make
 * one per process and share it between concurrent jobs.
 *
 * @param openai - the program's client. Its base URL, key, timeout and fetch are used as they are; its
 *   retries are replaced by the poller's (`retries`), as in a simulation.
 * @param spec - a poller spec as `sim --poller` takes it (`'adaptive'`, `'fixed:interval=2s'`), or a
 *   {@link PollerChoice}. Not `oracle`: it needs to know when each job ends, which only a simulation
 *   knows.
 * @throws `PollerSpecError` for a bad spec; `RangeError` for bad options; `TypeError` when `openai` is
 *   not an `openai` client
 */
export function attachPoller(
  openai: OpenAI,
  spec: string | PollerChoice,
  options: AttachOptions = {},
): AttachedPoller {
  if (typeof (openai as Partial<OpenAI> | null)?.withOptions !== 'function')
    throw new TypeError(`attachPoller: expected an OpenAI client (new OpenAI(…)); got ${shown(openai)}`);
  if (typeof spec !== 'string' && typeof (spec as Partial<PollerChoice> | null)?.name !== 'string')
    throw new TypeError(
      `attachPoller: expected a poller spec ('adaptive', 'fixed:interval=3s') or { name, params }; got ${shown(spec)}`,
    );
  // A choice built in code is checked as a spec is: a known poller, known parameters, values in range.
  const choice =
    typeof spec === 'string' ? parsePollerSpec(spec) : resolvePoller(spec.name, spec.params ?? {});
  const entry = POLLERS[choice.name] as PollerEntry;
  if (choice.name === 'oracle')
    throw new RangeError(
      'attachPoller: the oracle knows when each job ends, which only a simulation can tell; it is the bound other pollers are measured against',
    );
  const wrongOption = schemaProblem(optionsSchema, options, 'the options of attachPoller');
  if (wrongOption !== undefined) throw new RangeError(`attachPoller: ${wrongOption}`);
  const limits = publishedLimits(options);
  // Told no limit, the cookbook's limiter admits everything: a poller that silently does nothing.
  if (
    choice.name === 'limiter' &&
    !choice.params.rpm &&
    !choice.params.tpm &&
    limits?.rpm === undefined &&
    limits?.tpm === undefined
  )
    throw new RangeError(
      'attachPoller: limiter paces to the published limits: give tier and model, or limits, or its own (limiter:rpm=…,tpm=…)',
    );
  const clock = options.clock ?? systemClock;
  if (options.random !== undefined && options.seed !== undefined)
    throw new RangeError('attachPoller: give either seed or random, not both');
  const random = options.random ?? createRandom(options.seed ?? freshSeed()).stream('poller');

  // The signal of the wait or send a request belongs to. One poller serves every job, and its calls
  // reach the client through the strategy's own queues and timers; the async context follows each
  // job's chain of awaits through them, so each request finds its own job's signal.
  const signals = new AsyncLocalStorage<AbortSignal | undefined>();
  const clientOptions = { signal: () => signals.getStore() };
  // The poller's retries are known once its factory has returned; its requests come later.
  let sdk: OpenAI = openai;
  let base: ApiClient = clientFromOpenAI(sdk, clientOptions);
  const calls = new WeakMap<ApiRequest, SdkCallMaker<unknown>>();
  const client: ApiClient = {
    async send<T>(request: ApiRequest) {
      // An aborted wait sends nothing more: the strategy sees an error that is no answer of the API.
      signals.getStore()?.throwIfAborted();
      const call = calls.get(request);
      if (call === undefined) return base.send<T>(request);
      const signal = signals.getStore();
      const pending = call(sdk, signal === undefined ? {} : { signal }) as SdkCall<T> | undefined;
      if (typeof pending?.withResponse !== 'function')
        throw new TypeError(
          `send: the call returned ${shown(pending)}; expected the SDK's call unawaited, e.g. (openai) => openai.responses.create({ … })`,
        );
      return callResult(pending);
    },
    async pollRun(threadId, runId, ms) {
      signals.getStore()?.throwIfAborted();
      return base.pollRun(threadId, runId, ms);
    },
    async pollFileBatch(storeId, batchId, ms) {
      signals.getStore()?.throwIfAborted();
      return base.pollFileBatch(storeId, batchId, ms);
    },
  };
  const ctx: PollerContext = {
    clock: abortableSleeps(clock, () => signals.getStore()),
    random,
    client,
    publishedLimits: limits,
    signal: () => signals.getStore(),
  };
  const poller: Poller = entry.factory(ctx, choice.params);
  const problem = pollerProblem(poller);
  if (problem !== undefined) throw new TypeError(`attachPoller: poller '${choice.name}': ${problem}`);
  // Built-in pollers take it from their `lang` parameter; one of your own may set it in code.
  if ((poller.lang ?? 'node') !== 'node')
    throw new RangeError(
      `attachPoller: ${choice.name} has lang=${poller.lang}, the ${poller.lang} SDK's rules, which only a simulation emulates; here your openai client (the Node SDK) makes the requests`,
    );
  if (sdk.maxRetries !== poller.maxRetries) {
    sdk = openai.withOptions({ maxRetries: poller.maxRetries });
    base = clientFromOpenAI(sdk, clientOptions);
  }

  return {
    name: poller.name,
    params: poller.params,
    get openai() {
      return sdk;
    },
    async send<T>(call: SdkCallMaker<T>, sendOptions: SendOptions = {}) {
      if (typeof call !== 'function')
        throw new TypeError(
          `send: expected a function that makes the SDK call, e.g. (openai) => openai.responses.create({ … }); got ${shown(call)}`,
        );
      const request: ApiRequest = {
        // Only a key to the strategy (adaptive's per-route learning); the call itself is `call`.
        route: (sendOptions.label ?? 'call') as RouteId,
        method: 'POST',
        path: '',
        ids: {},
      };
      calls.set(request, call as SdkCallMaker<unknown>);
      const { signal } = sendOptions;
      signal?.throwIfAborted();
      const sent = untilAborted(
        signal,
        signals.run(signal, () => poller.send<T>(request, sendOptions.tokens ?? 0)),
      );
      try {
        return (await sent).data;
      } catch (error) {
        throw sdkError(error);
      }
    },
    async waitFor<T extends Waitable>(job: T, waitOptions: WaitOptions = {}) {
      const target = targetOf(job, waitOptions.createdAtMs ?? clock.now());
      const { signal } = waitOptions;
      signal?.throwIfAborted();
      let body: JobBody;
      try {
        body = await untilAborted(
          signal,
          signals.run(signal, () => poller.waitFor(target)),
        );
      } catch (error) {
        throw sdkError(error);
      }
      const wrong = finalBodyProblem(target, body);
      if (wrong !== undefined) throw new Error(`poller '${choice.name}': ${wrong}`);
      return body as unknown as T;
    },
  };
}
