import type { Clock } from '../../core/clock.ts';
import type { Random } from '../../core/random.ts';
import type { ErrorAnswer } from '../errors.ts';
import type { JobView } from '../jobs/job.ts';
import type { JobLatency, LatencyConfig } from '../jobs/latency-config.ts';
import type { Costs } from '../limiter/rate-limiter.ts';
import type { EndpointBucket } from '../limits/endpoint-limits.ts';
import type { MockState } from '../state.ts';

/** Every route the mock serves, by the SDK-style name used in traces and `countedRoutes`. */
export type RouteId =
  | 'models.list'
  | 'models.retrieve'
  | 'chat.completions.create'
  | 'embeddings.create'
  | 'images.generate'
  | 'files.create'
  | 'files.retrieve'
  | 'assistants.create'
  | 'assistants.retrieve'
  | 'threads.create'
  | 'threads.retrieve'
  | 'threads.createAndRun'
  | 'messages.create'
  | 'messages.list'
  | 'runs.create'
  | 'runs.retrieve'
  | 'runs.cancel'
  | 'runs.submitToolOutputs'
  | 'responses.create'
  | 'responses.retrieve'
  | 'responses.cancel'
  | 'batches.create'
  | 'batches.retrieve'
  | 'batches.cancel'
  | 'vectorStores.create'
  | 'vectorStores.retrieve'
  | 'vectorStores.fileBatches.create'
  | 'vectorStores.fileBatches.retrieve'
  | 'vectorStores.fileBatches.cancel';

/** Every {@link RouteId}, for validating user input. */
export const ROUTE_IDS: readonly RouteId[] = [
  'models.list',
  'models.retrieve',
  'chat.completions.create',
  'embeddings.create',
  'images.generate',
  'files.create',
  'files.retrieve',
  'assistants.create',
  'assistants.retrieve',
  'threads.create',
  'threads.retrieve',
  'threads.createAndRun',
  'messages.create',
  'messages.list',
  'runs.create',
  'runs.retrieve',
  'runs.cancel',
  'runs.submitToolOutputs',
  'responses.create',
  'responses.retrieve',
  'responses.cancel',
  'batches.create',
  'batches.retrieve',
  'batches.cancel',
  'vectorStores.create',
  'vectorStores.retrieve',
  'vectorStores.fileBatches.create',
  'vectorStores.fileBatches.retrieve',
  'vectorStores.fileBatches.cancel',
];

/** A multipart form, reduced to what the mock needs. */
export interface FormFields {
  readonly fields: Readonly<Record<string, string>>;
  readonly file?: { readonly name: string; readonly bytes: number } | undefined;
}

/** What a route sees of a request that passed routing, auth and body parsing. */
export interface RouteContext {
  readonly nowMs: number;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams | undefined;
  /** Parsed JSON (an object, checked by the core) or form fields, per the route's `body`. */
  readonly body: Record<string, unknown>;
  readonly form: FormFields | undefined;
  readonly state: MockState;
  readonly latency: LatencyConfig;
  readonly clock: Clock;
  /** Known model? (it has limits in the active table) */
  readonly modelExists: (model: string) => boolean;
  /** Models with limits in the active table, for `GET /models`. */
  readonly modelIds: readonly string[];
  /**
   * The random stream of the requesting client's next job (or draw) of `kind`: its n-th run draws from
   * `job:<client>:run:<n>` (`job:run:<n>` for a request without `x-pollbench-client`). The same for the
   * same seed, whatever other clients do and however their requests interleave with this one's.
   */
  readonly nextJobRandom: (kind: string) => Random;
  /** The latency model of a job kind for a model (per-model override, else the default). */
  readonly latencyFor: (kind: 'run' | 'response', model: string) => JobLatency;
  /** The bucket of a vector store's file and file-batch requests. */
  readonly vectorStoreBucket: (vectorStoreId: string) => EndpointBucket;
}

/** What the route will do once admitted: nothing changes before `execute` runs. */
export interface Plan {
  readonly kind: 'plan';
  /** The model the request counts against, if any. */
  readonly model?: string | undefined;
  /** An endpoint's own limit the request counts against instead of a model's. */
  readonly bucket?: EndpointBucket | undefined;
  /** @defaultValue one request, no tokens, no images */
  readonly costs?: Costs | undefined;
  readonly execute: () => Executed;
}

/** The outcome of an admitted request. */
export interface Executed {
  readonly body: unknown;
  readonly status?: number | undefined;
  /** Time the work itself takes (synchronous generation). @unit milliseconds */
  readonly delayMs?: number | undefined;
  /** The job the answer is about, for traces and poll hints. */
  readonly job?: JobView | undefined;
}

export type RouteResult = ErrorAnswer | Plan;

/** One endpoint. */
export interface Route {
  readonly id: RouteId;
  readonly method: 'GET' | 'POST';
  /** Path after `/v1`, msw-style params: `/threads/:thread_id/runs/:run_id`. */
  readonly path: string;
  /** `json` bodies are parsed and must be objects; `form` is multipart; `none` ignores the body. */
  readonly body: 'json' | 'form' | 'none';
  plan(ctx: RouteContext): RouteResult;
}

/** Helper: a plan that always counts one request. */
export function plan(model: string | undefined, execute: () => Executed, costs?: Costs): Plan {
  return { kind: 'plan', model, costs, execute };
}

/** Reads a required string field, or returns the OpenAI 400 for it. */
export function requiredString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
