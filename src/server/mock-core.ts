import { type Clock, systemClock } from '../core/clock.ts';
import { createRandom, type Random } from '../core/random.ts';
import { WaitQueue } from '../core/wait-queue.ts';
import { BoundedMemory } from './bounded-memory.ts';
import { apiKeyProblem, organizationProblem } from './credentials.ts';
import { type ErrorAnswer, openAIErrors } from './errors.ts';
import { InstantBatcher } from './instant-batcher.ts';
import { DEFAULT_LATENCY, type JobLatency, type LatencyConfig } from './jobs/latency-config.ts';
import { sample } from './latency.ts';
import { type Admission, type Costs, RateLimiter } from './limiter/rate-limiter.ts';
import { VECTOR_STORE_RPM, vectorStoreBucket } from './limits/endpoint-limits.ts';
import { noLimitsProblem, type ResolvedLimits, resolveModelLimits } from './limits/resolve-model.ts';
import { TIER_TABLES } from './limits/tier-tables.ts';
import type { LimitsTable } from './limits/types.ts';
import type { FaultOptions, FaultWindow, HeaderOptions, MockOpenAIOptions } from './mock-options.ts';
import { mockOptionsProblem } from './mock-options-check.ts';
import { rateLimitHeaders, retryAfterHeaders } from './rate-limit-headers.ts';
import type { RequestRecord } from './request-record.ts';
import { Router } from './router.ts';
import { assistantRoutes } from './routes/assistant-routes.ts';
import { jobRoutes } from './routes/job-routes.ts';
import { OFFICIAL_OPERATIONS } from './routes/official-operations.ts';
import type { Executed, FormFields, Plan, Route, RouteContext } from './routes/route.ts';
import { syncRoutes } from './routes/sync-routes.ts';
import { typedParamError } from './routes/typed-params.ts';
import { vectorStoreRoutes } from './routes/vector-store-routes.ts';
import { MockState } from './state.ts';

/** A request as the core sees it, whatever carried it (msw, node:http, or a direct call). */
export interface CoreRequest {
  readonly method: string;
  /** Path after the API prefix: `/threads/thread_x/runs`. */
  readonly path: string;
  readonly query?: URLSearchParams | undefined;
  /** The raw `Authorization` header. */
  readonly authorization: string | null | undefined;
  /** The `x-pollbench-client` header. */
  readonly client?: string | null | undefined;
  /** Parsed JSON body (`undefined` when there was none). */
  readonly body?: unknown;
  readonly form?: FormFields | undefined;
  /** Set by the adapter when the body could not be read. */
  readonly bodyError?: 'malformed-json' | 'too-large' | undefined;
}

/** The core's answer: the adapter sends it after `delayMs` of the mock's clock. */
export interface CoreResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  /** @unit milliseconds */
  readonly delayMs: number;
  readonly record: RequestRecord;
}

/** Every route the mock answers. */
export const ALL_ROUTES: readonly Route[] = [
  ...syncRoutes,
  ...assistantRoutes,
  ...jobRoutes,
  ...vectorStoreRoutes,
];
let official: Router<{ method: string; path: string; operationId: string }> | undefined;
/**
 * The rest of OpenAI's API, to say so when a client asks for an operation the mock lacks. Built once, on
 * the first such request, and shared: matching has no state but its memory of answers.
 */
function officialRouter() {
  official ??= new Router(
    OFFICIAL_OPERATIONS.map(([method, path, operationId]) => ({ method, path, operationId })),
  );
  return official;
}
const ONE_REQUEST: Costs = { requests: 1, tokens: 0, images: 0 };
// The oracle's held requests: one that creates or advances work goes before a read (a poll). A poll
// only frees a worker, whose next create then waits again; first come, first served let pollers that
// rank creates first beat the oracle (free tier, 3 workers: 8 %).
const WRITE = () => 1;
const READ = () => 0;

/**
 * The mock OpenAI server without any transport: routing, auth, validation, the limiter, faults, job
 * state. A rejected request (4xx before admission) changes no state; every answer is recorded.
 */
export class MockCore {
  readonly clock: Clock;
  readonly table: LimitsTable;
  readonly state: MockState;
  readonly organization: string;
  readonly maxBodyBytes: number;
  readonly maxUploadBytes: number;
  /** Every request so far, when `record` is on. */
  readonly requests: RequestRecord[] = [];
  private readonly limiter: RateLimiter;
  private readonly router = new Router(ALL_ROUTES);
  private readonly latency: LatencyConfig;
  private readonly headerOptions: {
    readonly rateLimit: NonNullable<HeaderOptions['rateLimit']>;
    readonly retryAfter: boolean;
    readonly retryAfterMs: boolean;
    readonly pollAfterMs: number | undefined;
  };
  private readonly faults: FaultOptions;
  private readonly random: Random;
  private readonly latencyRandom: Random;
  private readonly faultRandom: Random;
  private readonly faultStreams: Record<'server_error' | 'overloaded' | 'insufficient_quota', Random>;
  private readonly observers = new Set<(record: RequestRecord) => void>();
  private readonly limitsCache = new Map<string, ResolvedLimits | null>();
  private readonly modelIds: readonly string[];
  private seq = 0;
  private readonly postCounts = new Map<string, number>();
  /** Each path's GET latency, drawn once (common random numbers): it depends only on the path. */
  private readonly getLatency = new BoundedMemory<string, number>();
  /** Organizations of the `Authorization` values that authenticated. */
  private readonly authenticated = new BoundedMemory<string, string>();
  private admissionQueue: WaitQueue<CoreRequest> | undefined;
  private batcher: InstantBatcher | undefined;

  private readonly options: MockOpenAIOptions;

  constructor(options: MockOpenAIOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.table = options.limits ?? TIER_TABLES[options.tier ?? 'free'];
    // Options built in code are checked here once; flags and scenario files were checked as read.
    const optionsIssue = mockOptionsProblem(options);
    if (optionsIssue !== undefined) throw new RangeError(`createMockOpenAI: ${optionsIssue}`);
    // Counted against a model without limits, every request of the route would get 404 model_not_found.
    for (const [route, counted] of Object.entries(options.countedRoutes ?? {})) {
      const issue = typeof counted === 'string' ? noLimitsProblem(this.table, counted) : undefined;
      if (issue !== undefined) throw new RangeError(`createMockOpenAI: countedRoutes.${route}: ${issue}`);
    }
    this.organization = options.organization ?? 'org-pollbench';
    // Thrown here, once: a value no header can carry would otherwise break every answer.
    const organizationIssue = organizationProblem(this.organization);
    if (organizationIssue !== undefined) throw new RangeError(`organization: ${organizationIssue}`);
    for (const [key, organization] of Object.entries(options.apiKeys ?? {})) {
      const issue = apiKeyProblem(key) ?? organizationProblem(organization);
      if (issue !== undefined) throw new RangeError(`apiKeys[${JSON.stringify(key)}]: ${issue}`);
    }
    this.maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
    this.maxUploadBytes = options.maxUploadBytes ?? 536_870_912;
    this.random = createRandom(options.seed ?? 0).stream('server');
    this.latencyRandom = this.random.stream('request-latency');
    this.faultRandom = this.random.stream('faults');
    this.faultStreams = {
      server_error: this.faultRandom.stream('server_error'),
      overloaded: this.faultRandom.stream('overloaded'),
      insufficient_quota: this.faultRandom.stream('insufficient_quota'),
    };
    this.state = new MockState(this.random.stream('ids'));
    this.limiter = new RateLimiter(options.limiter);
    const given = options.latency;
    // A job's model may come in part (`--run-duration` alone): the rest keeps its default, or every
    // create would fail on the missing draw.
    this.latency = {
      ...DEFAULT_LATENCY,
      ...given,
      run: { ...DEFAULT_LATENCY.run, ...given?.run },
      response: { ...DEFAULT_LATENCY.response, ...given?.response },
      fileBatch: { ...DEFAULT_LATENCY.fileBatch, ...given?.fileBatch },
      batch: { ...DEFAULT_LATENCY.batch, ...given?.batch },
      byModel: { ...given?.byModel, ...options.latencyByModel },
    };
    this.headerOptions = {
      rateLimit: options.headers?.rateLimit ?? 'always',
      retryAfter: options.headers?.retryAfter ?? true,
      retryAfterMs: options.headers?.retryAfterMs ?? true,
      pollAfterMs: options.headers?.pollAfterMs,
    };
    this.faults = options.faults ?? {};
    this.modelIds = Object.keys(this.table.models);
  }

  /**
   * The answer time of a request, keyed by the request itself rather than by arrival order, so that
   * pollers making different requests still see the same latencies where they make the same ones
   * (common random numbers): every GET of a path gets one draw; a client's n-th POST to a path the n-th.
   */
  private requestLatency(method: string, path: string, client: string | null | undefined): number {
    if (method === 'GET') {
      // Keyed by the path alone: polls ask for the same few paths over and over, and a map lookup by a
      // string the caller already built is cheaper than building the stream's name first.
      let value = this.getLatency.get(path);
      if (value === undefined) {
        value = sample(this.latency.request, this.latencyRandom.stream(`GET ${path}`));
        this.getLatency.set(path, value);
      }
      return value;
    }
    let key = `${method} ${path}`;
    // Per client, as jobs are: the n-th `POST /responses` of one client must not depend on how many
    // other clients posted before it.
    if (client !== undefined && client !== null) key = `${client} ${key}`;
    const n = this.postCounts.get(key) ?? 0;
    this.postCounts.set(key, n + 1);
    return sample(this.latency.request, this.latencyRandom.stream(`${key}#${n}`));
  }

  /** Calls `fn` with every request's record; returns an unsubscribe function. */
  observe(fn: (record: RequestRecord) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  /** The limits that apply to `model` in the active table, if it has any. */
  limitsFor(model: string): ResolvedLimits | undefined {
    let cached = this.limitsCache.get(model);
    if (cached === undefined) {
      cached = resolveModelLimits(this.table, model) ?? null;
      this.limitsCache.set(model, cached);
    }
    return cached ?? undefined;
  }

  /** The latency model of a job kind for a model. */
  latencyFor(kind: 'run' | 'response', model: string): JobLatency {
    return this.latency.byModel?.[model]?.[kind] ?? this.latency[kind];
  }

  /** Handles one request at the clock's current time. Never throws for a client's mistake. */
  handle(request: CoreRequest): CoreResponse {
    const nowMs = this.clock.now();
    const seq = ++this.seq;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'openai-version': '2020-10-01',
      'x-request-id': this.state.requestId(seq),
    };
    let delayMs = this.requestLatency(request.method, request.path, request.client);
    const trace: Mutable<RequestRecord> = {
      seq,
      atMs: nowMs,
      doneMs: nowMs,
      method: request.method,
      path: request.path,
      route: undefined,
      status: 200,
      errorCode: undefined,
      organization: undefined,
      client: request.client ?? undefined,
      model: undefined,
      rejectedBy: undefined,
      remainingRequests: undefined,
      remainingTokens: undefined,
      jobId: undefined,
      jobStatus: undefined,
    };
    const outcome = this.processSafely(request, nowMs, headers, trace);
    const faultDelay = this.latencyFault(nowMs);
    delayMs += ('delayMs' in outcome ? (outcome.delayMs ?? 0) : 0) + faultDelay;
    // Floored: time is never overstated, so clients dating their budget by it stay conservative.
    headers['openai-processing-ms'] = String(Math.floor(delayMs));
    if ('error' in outcome) {
      Object.assign(headers, outcome.error.headers);
      trace.status = outcome.error.status;
      trace.errorCode = outcome.error.body.error.code ?? outcome.error.body.error.type;
    } else {
      trace.status = outcome.status ?? 200;
    }
    trace.doneMs = nowMs + delayMs;
    const record = trace as RequestRecord;
    if (this.options.record ?? true) this.requests.push(record);
    for (const observer of this.observers) observer(record);
    const body = 'error' in outcome ? outcome.error.body : outcome.body;
    return { status: record.status, headers, body, delayMs, record };
  }

  /** A bug in a route must not crash the caller's test: it becomes the API's own 500. */
  private processSafely(
    request: CoreRequest,
    nowMs: number,
    headers: Record<string, string>,
    trace: Mutable<RequestRecord>,
  ): Executed | { error: ErrorAnswer } {
    try {
      return this.process(request, nowMs, headers, trace);
    } catch {
      return { error: openAIErrors.serverError() };
    }
  }

  private process(
    request: CoreRequest,
    nowMs: number,
    headers: Record<string, string>,
    trace: Mutable<RequestRecord>,
  ): Executed | { error: ErrorAnswer } {
    const match = this.router.match(request.method, request.path);
    if (match.kind !== 'found') {
      const path = `/v1${request.path}`;
      const official = officialRouter().match(request.method, request.path);
      if (official.kind === 'found')
        return { error: openAIErrors.notImplemented(request.method, path, official.route.operationId) };
      return {
        error:
          match.kind === 'not-found'
            ? openAIErrors.invalidUrl(request.method, path)
            : openAIErrors.methodNotAllowed(request.method, path),
      };
    }
    const { route, params } = match;
    trace.route = route.id;
    const auth = this.authenticate(request.authorization);
    if ('error' in auth) return auth;
    trace.organization = auth.organization;
    headers['openai-organization'] = auth.organization;
    if (request.bodyError === 'too-large') return { error: openAIErrors.bodyTooLarge(this.maxBodyBytes) };
    if (request.bodyError === 'malformed-json') return { error: openAIErrors.malformedJson() };
    if (
      route.body === 'json' &&
      (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body))
    ) {
      return {
        error:
          request.body === undefined
            ? openAIErrors.malformedJson()
            : openAIErrors.invalidRequest('The request body must be a JSON object.'),
      };
    }
    if (route.body === 'form' && request.form === undefined) {
      return {
        error: openAIErrors.invalidRequest("Expected a multipart/form-data body with 'file' and 'purpose'."),
      };
    }
    if (route.body === 'json') {
      const wrong = typedParamError(route.id, request.body as Record<string, unknown>);
      if (wrong !== undefined) return { error: wrong };
    }
    // A stream is server-sent events, which the mock does not produce. Answered with JSON instead, the
    // SDK's stream reader would find no event in it, and the caller would see a stream that ends empty.
    const asked = streamAsked(route, request);
    if (asked !== undefined)
      return { error: openAIErrors.streamingNotImplemented(request.method, `/v1${request.path}`, asked) };
    const planned = route.plan(this.context(nowMs, params, request));
    if (!('kind' in planned)) return { error: planned };
    return this.admitAndExecute(route, planned, auth.organization, nowMs, headers, trace);
  }

  private admitAndExecute(
    route: Route,
    planned: Plan,
    organization: string,
    nowMs: number,
    headers: Record<string, string>,
    trace: Mutable<RequestRecord>,
  ): Executed | { error: ErrorAnswer } {
    if (this.faultHits('insufficient_quota', nowMs, this.faults.insufficientQuotaRate)) {
      const error = openAIErrors.insufficientQuota();
      return {
        error: this.faults.quotaShouldRetryFalse
          ? { ...error, headers: { 'x-should-retry': 'false' } }
          : error,
      };
    }
    const counted = this.countedIn(route, planned);
    if (counted !== undefined) {
      const { model, limits, subject } = counted;
      if (limits === undefined) return { error: openAIErrors.modelNotFound(model) };
      trace.model = model;
      const admission = this.limiter.admit(nowMs, organization, limits, planned.costs ?? ONE_REQUEST);
      trace.remainingRequests = admission.budgets.requests?.remaining;
      trace.remainingTokens = admission.budgets.tokens?.remaining;
      const showHeaders =
        this.headerOptions.rateLimit === 'always' ||
        (this.headerOptions.rateLimit === 'success-only' && admission.kind === 'allow');
      if (showHeaders) rateLimitHeaders(admission.budgets, headers);
      if (admission.kind !== 'allow') {
        trace.rejectedBy = admission.dimension;
        return { error: this.rateLimitError(admission, subject, organization, headers) };
      }
    }
    if (this.faultHits('server_error', nowMs, this.faults.serverErrorRate))
      return { error: openAIErrors.serverError() };
    if (this.faultHits('overloaded', nowMs, this.faults.overloadedRate))
      return { error: openAIErrors.overloaded() };
    const executed = planned.execute();
    if (executed.job !== undefined) {
      trace.jobId = executed.job.id;
      trace.jobStatus = (executed.body as { status?: string }).status;
      if (this.headerOptions.pollAfterMs !== undefined)
        headers['openai-poll-after-ms'] = String(this.headerOptions.pollAfterMs);
    }
    return executed;
  }

  /**
   * The limits a planned request counts against, after `countedRoutes`: a model's (`limits` undefined
   * when the table has none for it), an endpoint's own, or none. `model` is what traces record: the
   * model, or the endpoint bucket's group (`vector_store:vs_…`); `subject` is what a 429 names.
   */
  private countedIn(
    route: Route,
    planned: Plan,
  ): { model: string; limits: ResolvedLimits | undefined; subject: string } | undefined {
    const counted = this.options.countedRoutes?.[route.id];
    if (counted === false) return undefined;
    const model = typeof counted === 'string' ? counted : planned.model;
    if (model === undefined && planned.bucket !== undefined) {
      const { limits, subject } = planned.bucket;
      return { model: limits.group, limits, subject };
    }
    return model === undefined ? undefined : { model, limits: this.limitsFor(model), subject: model };
  }

  /**
   * Server-side truth for the oracle poller: how long until `request` would pass the limiter now.
   * Routes and plans the request but executes nothing and charges nothing. 0 for requests that do not
   * count or would be rejected before the limiter. @unit milliseconds
   */
  admissionWaitMs(request: CoreRequest): number {
    const probe = this.probe(request);
    return probe === undefined
      ? 0
      : this.limiter.waitMs(this.clock.now(), probe.organization, probe.limits, probe.costs);
  }

  /** Whether `request` would be charged to a model's limits (what the limiter would see), or not. */
  private probe(
    request: CoreRequest,
  ): { organization: string; limits: ResolvedLimits; costs: Costs } | undefined {
    const match = this.router.match(request.method, request.path);
    if (match.kind !== 'found') return undefined;
    const auth = this.authenticate(request.authorization);
    if ('error' in auth) return undefined;
    const planned = match.route.plan(this.context(this.clock.now(), match.params, request));
    if (!('kind' in planned)) return undefined;
    const limits = this.countedIn(match.route, planned)?.limits;
    return limits === undefined
      ? undefined
      : { organization: auth.organization, limits, costs: planned.costs ?? ONE_REQUEST };
  }

  /**
   * Handles a request as the simulator needs: when `orderSimultaneousRequests` is on, requests arriving
   * in the same instant are handled in one canonical order; `waitForAdmission` holds it until the
   * limiter would admit it (the oracle's transport).
   */
  handleOrdered(request: CoreRequest, waitForAdmission = false): Promise<CoreResponse> {
    const run = () => (waitForAdmission ? this.handleWhenAdmissible(request) : this.handle(request));
    if (!this.options.orderSimultaneousRequests) return Promise.resolve(run());
    this.batcher ??= new InstantBatcher(this.clock);
    // Uploads all share one path; their file names tell them apart. Without the name, two uploads in one
    // instant keep their arrival order, which differs between transports when one of them follows a
    // longer chain of promises (an abandoned job's error, say).
    const file = request.form?.file?.name ?? '';
    return this.batcher.submit(
      `${request.client ?? ''}\u0000${request.method} ${request.path}\u0000${file}`,
      run,
    );
  }

  /**
   * Waits on the mock's clock until `request` would pass the limiter, then handles it in the same
   * step: the simulator's oracle uses this so that no other request can take the budget in between.
   */
  handleWhenAdmissible(request: CoreRequest): Promise<CoreResponse> {
    // Creates before polls (WRITE, READ above), then first come, first served; only the head re-checks
    // on a refill, so thousands of held requests do not.
    this.admissionQueue ??= new WaitQueue<CoreRequest>(
      this.clock,
      // One that can never pass (larger than a whole budget) is answered at once, "Request too large",
      // rather than held for ever.
      (r) => {
        const wait = this.admissionWaitMs(r);
        return wait === Number.POSITIVE_INFINITY ? 0 : wait;
      },
      (r) => this.probe(r) !== undefined,
    );
    return this.admissionQueue.enter(request, (r) => this.handle(r), request.method === 'GET' ? READ : WRITE);
  }

  private rateLimitError(
    admission: Exclude<Admission, { kind: 'allow' }>,
    /** The model, or the endpoint limit (`vector store vs_…`), as the message names it. */
    model: string,
    organization: string,
    headers: Record<string, string>,
  ): ErrorAnswer {
    if (admission.kind === 'too-large') {
      // Can never succeed: no retry hint.
      return openAIErrors.requestTooLarge({ model, organization, ...admission });
    }
    retryAfterHeaders(
      admission.waitMs,
      headers,
      this.headerOptions.retryAfter,
      this.headerOptions.retryAfterMs,
    );
    return openAIErrors.rateLimited({
      model,
      organization,
      dimension: admission.dimension,
      limit: admission.limit,
      used: admission.used,
      requested: admission.requested,
      waitMs: admission.waitMs,
      freeTier: this.table.name === 'free',
    });
  }

  private authenticate(
    authorization: string | null | undefined,
  ): { organization: string } | { error: ErrorAnswer } {
    // Every request of a client carries the same value: parse it once. Only values that authenticated
    // are remembered; a refusal's body is built anew each time.
    const known = authorization == null ? undefined : this.authenticated.get(authorization);
    if (known !== undefined) return { organization: known };
    if (authorization === null || authorization === undefined || authorization.trim() === '') {
      return { error: openAIErrors.missingApiKey() };
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null)
      return { error: openAIErrors.invalidApiKey(authorization.replace(/^Bearer\s*/i, '')) };
    const key = match[1] as string;
    const { apiKeys } = this.options;
    // Own keys only: `constructor` or `__proto__` must not authenticate as Object's.
    const organization =
      apiKeys === undefined ? this.organization : Object.hasOwn(apiKeys, key) ? apiKeys[key] : undefined;
    if (organization === undefined) return { error: openAIErrors.invalidApiKey(key) };
    this.authenticated.set(authorization, organization);
    return { organization };
  }

  private context(
    nowMs: number,
    params: Readonly<Record<string, string>>,
    request: CoreRequest,
  ): RouteContext {
    return {
      nowMs,
      params,
      query: request.query,
      body: (request.body ?? {}) as Record<string, unknown>,
      form: request.form,
      state: this.state,
      latency: this.latency,
      clock: this.clock,
      modelExists: (model) => this.limitsFor(model) !== undefined,
      modelIds: this.modelIds,
      nextJobRandom: (kind) => {
        // Keyed by client: with a global ordinal, which client's job drew which duration depended on
        // how the clients' creates interleaved, so pollers compared on the same seed met different jobs
        // (one beat the oracle by 28 %, vector-store, 2 clients).
        const client = request.client ?? undefined;
        const name = client === undefined ? kind : `${client}:${kind}`;
        return this.random.stream(`job:${name}:${this.state.nextJobOrdinal(name)}`);
      },
      latencyFor: (kind, model) => this.latencyFor(kind, model),
      vectorStoreBucket: (id) => vectorStoreBucket(id, this.options.vectorStoreRpm ?? VECTOR_STORE_RPM),
    };
  }

  /**
   * The first moment at or after `nowMs` outside every scheduled error window (`server_error`,
   * `overloaded`, `insufficient_quota`): what the oracle waits for instead of failing into a window.
   * Random faults are not foreseen. @unit milliseconds of the mock's clock
   */
  faultFreeAt(nowMs: number): number {
    let at = nowMs;
    // Windows may overlap or abut: step to the end of any window that holds `at` until none does.
    for (let moved = true; moved; ) {
      moved = false;
      for (const window of this.faults.windows ?? []) {
        if (window.kind !== 'latency' && holds(window, at)) {
          at = window.toMs;
          moved = true;
        }
      }
    }
    return at;
  }

  private faultHits(
    kind: 'server_error' | 'overloaded' | 'insufficient_quota',
    nowMs: number,
    rate: number | undefined,
  ): boolean {
    for (const window of this.faults.windows ?? []) {
      if (window.kind === kind && holds(window, nowMs)) return true;
    }
    // Draw only when the rate is on, so enabling one fault does not shift another stream.
    return rate !== undefined && rate > 0 && this.faultStreams[kind].next() < rate;
  }

  private latencyFault(nowMs: number): number {
    let extra = 0;
    for (const window of this.faults.windows ?? []) {
      if (window.kind === 'latency' && holds(window, nowMs)) extra += window.latencyMs ?? 0;
    }
    const rate = this.faults.latencySpikeRate ?? 0;
    if (rate > 0 && this.faultRandom.next() < rate) {
      extra += sample(this.faults.latencySpike ?? { kind: 'fixed', ms: 5_000 }, this.faultRandom);
    }
    return extra;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A fault window covers [fromMs, toMs). */
function holds(window: FaultWindow, nowMs: number): boolean {
  return nowMs >= window.fromMs && nowMs < window.toMs;
}

/** How `request` asks for a stream (`stream: true` in a JSON body, `?stream=true`), if it does. */
function streamAsked(route: Route, request: CoreRequest): string | undefined {
  if (route.body === 'json' && (request.body as { stream?: unknown }).stream === true) return 'stream: true';
  if (request.query?.get('stream') === 'true') return '?stream=true';
  return undefined;
}
