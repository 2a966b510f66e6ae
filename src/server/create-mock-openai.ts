import { getResponse, HttpResponse, http, type RequestHandler } from 'msw';
import type { JobView } from './jobs/job.ts';
import { MockCore } from './mock-core.ts';
import type { MockOpenAIOptions } from './mock-options.ts';
import { toCoreRequest, toFetchResponse } from './request-adapter.ts';
import type { RequestRecord } from './request-record.ts';

/** Request header (simulator only) asking the mock to hold the request until the limiter admits it. */
export const WAIT_FOR_ADMISSION_HEADER = 'x-pollbench-wait-admission';

/** A mock OpenAI API: msw handlers, a `fetch` that needs no interception, and what happened. */
export interface MockOpenAI {
  /** Pass as the SDK's `baseURL`. */
  readonly baseURL: string;
  /** msw request handlers: `setupServer(...mock.handlers)` in any test suite. */
  readonly handlers: readonly RequestHandler[];
  /**
   * A `fetch` answering through msw's `getResponse(handlers, request)`, with no global interception.
   * Honours `init.signal` (the SDK's timeouts abort it). Requests outside `baseURL` get a 404.
   */
  readonly fetch: typeof fetch;
  /** The transport-free core (the simulator's fast transport calls it directly). */
  readonly core: MockCore;
  /** Every request so far (arrival time, route, status, rejecting dimension…), when `record` is on. */
  readonly requests: readonly RequestRecord[];
  /** Every job created so far, with its status as a function of time. */
  readonly jobs: readonly JobView[];
  /** Subscribe to request records; returns an unsubscribe function. */
  observe(fn: (record: RequestRecord) => void): () => void;
}

/**
 * Creates a mock of the OpenAI API with a tier's limits, OpenAI's limiter, exact headers and error
 * bodies, and job lifecycles driven by `clock`.
 *
 * @example
 * ```ts
 * const mock = createMockOpenAI({ tier: 'free', seed: 42, clock });
 * const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.baseURL, fetch: mock.fetch });
 * ```
 */
export function createMockOpenAI(options: MockOpenAIOptions = {}): MockOpenAI {
  const core = new MockCore(options);
  const baseURL = (options.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const apiPrefix = new URL(baseURL).pathname.replace(/\/+$/, '');

  const handler = http.all(`${baseURL}/*`, async ({ request }) => {
    const coreRequest = await toCoreRequest(core, request, apiPrefix);
    if (coreRequest === undefined) return undefined;
    // Simulator-only: the oracle's requests wait at the door until the limiter would admit them.
    const answer = await core.handleOrdered(
      coreRequest,
      request.headers.get(WAIT_FOR_ADMISSION_HEADER) === 'true',
    );
    if (answer.delayMs > 0) await core.clock.sleep(answer.delayMs, request.signal);
    return toFetchResponse(answer);
  });
  const handlers: readonly RequestHandler[] = [handler];

  const mockFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    const answered = getResponse([...handlers], request);
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    // A settled race leaves the abort listener dangling only until the request is collected.
    aborted.catch(() => undefined);
    const response = await Promise.race([answered, aborted]);
    return (
      response ??
      HttpResponse.json(
        {
          error: {
            message: `Unhandled request: ${request.method} ${request.url}`,
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        },
        { status: 404 },
      )
    );
  };

  return {
    baseURL,
    handlers,
    fetch: mockFetch as typeof fetch,
    core,
    requests: core.requests,
    jobs: core.state.jobs,
    observe: (fn) => core.observe(fn),
  };
}
