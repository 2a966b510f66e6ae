import type OpenAI from 'openai';
import { type Clock, systemClock } from '../core/clock.ts';
import { BoundedMemory } from '../server/bounded-memory.ts';
import type { JobKind } from '../server/jobs/job.ts';
import { vectorStoreGroup } from '../server/limits/endpoint-limits.ts';
import { DIMENSION_WORDS, type Dimension } from '../server/limits/types.ts';
import { ALL_ROUTES } from '../server/mock-core.ts';
import type { RequestRecord } from '../server/request-record.ts';
import { Router } from '../server/router.ts';
import type { RouteId } from '../server/routes/route.ts';

// What a program can see of its own traffic, in the shape the mock records it: the simulator's
// figures (requests by route and status, 429s by dimension, polls per job, detection delays) can then
// be computed from a run against the real API exactly as from a simulated one.

/** Options of {@link recordTraffic}. */
export interface RecordTrafficOptions {
  /** The clock the records' times are read on. @defaultValue the wall clock ({@link systemClock}) */
  readonly clock?: Clock | undefined;
  /**
   * The `model` of a request whose answer carries rate-limit headers (so it counted) but which nothing
   * names a model for (a batch's poll, when the limits count those). @defaultValue {@link UNNAMED_MODEL}
   */
  readonly model?: string | undefined;
}

/** The `model` of a request that counted against a model nothing names (see {@link RecordTrafficOptions.model}). */
export const UNNAMED_MODEL = '(not named)';

/** The `fetch` the SDK calls, as `openai` declares it. */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The four kinds of job a program polls, by the `object` of their bodies. */
export const JOB_KIND_OF_OBJECT: Readonly<Record<string, JobKind>> = {
  response: 'response',
  'thread.run': 'run',
  batch: 'batch',
  'vector_store.files_batch': 'file_batch',
};

/**
 * `Rate limit reached for {model} in organization {org} on {dimension words}: …`, or `Request too large
 * for …` when one request exceeds the whole budget (facts §3, the 429 messages).
 */
const RATE_LIMIT_MESSAGE =
  /^(?:Rate limit reached|Request too large) for (.+?) in organization \S+ on ([a-z ]+\([A-Z]+\)):/;
const DIMENSION_BY_WORDS = new Map(
  Object.entries(DIMENSION_WORDS).map(([dimension, words]) => [words, dimension as Dimension]),
);

let router: Router<{ readonly method: string; readonly path: string; readonly id: RouteId }> | undefined;

/**
 * A copy of `openai` (made with `withOptions`) that reports every HTTP request it makes, the SDK's own
 * retries included, to `onRecord` once its answer's headers (and, for a JSON answer, its body) have
 * come: a {@link RequestRecord} as the mock keeps one, read from the client's side.
 *
 * What the client cannot see is left as the answer says it or `undefined`: `model` is the model a
 * request that counted (its answer carries `x-ratelimit-*` headers, or is a rate-limit 429) was charged
 * to, as far as the answer, the job's body or the request's body name it (else `options.model`); a 5xx
 * answer carries no such headers, so whether it counted is not known and its `model` is `undefined`.
 * `remainingRequests` and `remainingTokens` come from those headers; `atMs` is when the request left
 * and `doneMs` when its answer came, on `options.clock`. A request that got no answer (a network error,
 * an abort) is not recorded, though it takes its number: `seq` counts requests in the order they were
 * sent. Streamed answers are recorded without reading their body.
 *
 * @param openai - the program's client; it is left unchanged.
 * @param onRecord - called once per request, in the order the answers come, with the answer's JSON body
 *   when it has one (a job's, for the timestamps a record leaves out).
 */
export function recordTraffic(
  openai: OpenAI,
  onRecord: (record: RequestRecord, body: Readonly<Record<string, unknown>> | undefined) => void,
  options: RecordTrafficOptions = {},
): OpenAI {
  if (typeof (openai as Partial<OpenAI> | null)?.withOptions !== 'function')
    throw new TypeError('recordTraffic: expected an OpenAI client (new OpenAI(…))');
  if (typeof onRecord !== 'function')
    throw new TypeError('recordTraffic: expected a function to call with each request record');
  const clock = options.clock ?? systemClock;
  // The SDK keeps the fetch it was given in a field TypeScript calls private; a copy made with
  // `withOptions` inherits it the same way.
  const inner: Fetch = (openai as unknown as { fetch?: Fetch }).fetch ?? globalThis.fetch;
  const basePath = new URL(openai.baseURL).pathname.replace(/\/$/, '');
  let seq = 0;
  // The model of each thread's runs, as their bodies say: what the thread's other requests (its
  // messages) count against, though their answers do not name it.
  const threadModels = new BoundedMemory<string, string>();
  const unnamed = options.model ?? UNNAMED_MODEL;
  const recording: Fetch = async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? String(input));
    // The SDK probes its fetch with a `data:` URL before its first upload: no request to record.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return inner(input, init);
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers ?? request?.headers);
    const atMs = clock.now();
    const number = ++seq;
    const response = await inner(input, init);
    const doneMs = clock.now();
    const path = pathWithin(url.pathname, basePath);
    const body = await jsonOf(response);
    const exchange = {
      seq: number,
      atMs,
      doneMs,
      method,
      path,
      headers,
      requestBody: init?.body,
      response,
      body,
    };
    onRecord(recordOf(exchange, threadModels, unnamed), body);
    return response;
  };
  return openai.withOptions({ fetch: recording });
}

/** The path as the route table writes it: without the base URL's path, nor a trailing slash. */
function pathWithin(pathname: string, basePath: string): string {
  const path = basePath !== '' && pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path || '/';
}

/** A JSON answer's body, read from a copy so that the SDK still reads the original; else undefined. */
async function jsonOf(response: Response): Promise<Record<string, unknown> | undefined> {
  if (!(response.headers.get('content-type') ?? '').includes('application/json')) return undefined;
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    // Not JSON after all: the SDK will say so to the program; the record just knows less.
    return undefined;
  }
}

interface Exchange {
  readonly seq: number;
  readonly atMs: number;
  readonly doneMs: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Headers;
  readonly requestBody: RequestInit['body'] | undefined;
  readonly response: Response;
  readonly body: Record<string, unknown> | undefined;
}

function recordOf(
  exchange: Exchange,
  threadModels: BoundedMemory<string, string>,
  unnamed: string,
): RequestRecord {
  const { response, body } = exchange;
  router ??= new Router(ALL_ROUTES);
  const match = router.match(exchange.method, exchange.path);
  const route = match.kind === 'found' ? match.route.id : undefined;
  const params = match.kind === 'found' ? match.params : {};
  const error = response.ok ? undefined : (body?.error as Record<string, unknown> | undefined);
  const errorCode = error === undefined ? undefined : String(error.code ?? error.type ?? '') || undefined;
  const limited =
    response.status === 429 && error?.code === 'rate_limit_exceeded' && typeof error.message === 'string'
      ? RATE_LIMIT_MESSAGE.exec(error.message)
      : null;
  const job =
    response.ok && typeof body?.object === 'string' && Object.hasOwn(JOB_KIND_OF_OBJECT, body.object)
      ? body
      : undefined;
  const threadId = stringField(job, 'thread_id');
  const runModel = stringField(job, 'model');
  if (job?.object === 'thread.run' && threadId !== undefined && runModel !== undefined)
    threadModels.set(threadId, runModel);
  const answer = response.headers;
  const counted = answer.has('x-ratelimit-limit-requests') || answer.has('x-ratelimit-limit-tokens');
  return {
    seq: exchange.seq,
    atMs: exchange.atMs,
    doneMs: exchange.doneMs,
    method: exchange.method,
    path: exchange.path,
    route,
    status: response.status,
    errorCode,
    organization: answer.get('openai-organization') ?? undefined,
    client: exchange.headers.get('x-pollbench-client') ?? undefined,
    model:
      limited?.[1] ??
      (counted ? (countedAgainst(exchange, route, params, job, threadModels) ?? unnamed) : undefined),
    rejectedBy: limited === null ? undefined : DIMENSION_BY_WORDS.get(limited[2] as string),
    remainingRequests: numberHeader(answer, 'x-ratelimit-remaining-requests'),
    remainingTokens: numberHeader(answer, 'x-ratelimit-remaining-tokens'),
    jobId: stringField(job, 'id'),
    jobStatus: stringField(job, 'status'),
  };
}

/**
 * What a request that counted was charged to: the model its job or its body names; for a thread's other
 * requests, the model of the thread's runs; for a vector store's file batches, which have limits of their
 * own per store (facts §4), the store's bucket, as the mock names it.
 */
function countedAgainst(
  exchange: Exchange,
  route: RouteId | undefined,
  params: Readonly<Record<string, string>>,
  job: Record<string, unknown> | undefined,
  threadModels: BoundedMemory<string, string>,
): string | undefined {
  const named = stringField(job, 'model') ?? modelOf(exchange.requestBody);
  if (named !== undefined) return named;
  if (params.thread_id !== undefined) return threadModels.get(params.thread_id);
  if (route?.startsWith('vectorStores.fileBatches.') && params.vector_store_id !== undefined)
    return vectorStoreGroup(params.vector_store_id);
  return undefined;
}

function stringField(body: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = body?.[name];
  return typeof value === 'string' ? value : undefined;
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = Number.parseFloat(headers.get(name) ?? '');
  return Number.isFinite(value) ? value : undefined;
}

/** The `model` of a JSON request body, if it has one. */
function modelOf(body: RequestInit['body'] | undefined): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    return stringField(JSON.parse(body) as Record<string, unknown>, 'model');
  } catch {
    return undefined;
  }
}
