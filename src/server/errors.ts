import { formatGoDuration } from '../core/duration.ts';
import { DIMENSION_WORDS, type Dimension, dimensionType, periodMs } from './limits/types.ts';

/** OpenAI's error envelope (OpenAPI `ErrorResponse`: all four fields required). */
export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** An error answer: status, body and any extra headers. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: OpenAIErrorBody;
  readonly headers?: Readonly<Record<string, string>>;
}

const RATE_LIMITS_URL = 'https://platform.openai.com/account/rate-limits';

function answer(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
): ErrorAnswer {
  return { status, body: { error: { message, type, param, code } } };
}

/** Shows a client-supplied value in an error message; never throws (null-prototype objects included). */
export function describeValue(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The "Please try again in X" wait: `(used + requested − limit) · period / limit`, as real 429s (facts §4). */
export function tryAgainMs(limit: number, used: number, requested: number, dimension: Dimension): number {
  return ((used + requested - limit) * periodMs(dimension)) / limit;
}

/** Error answers with the wording of real OpenAI bodies (facts §3). */
export const openAIErrors = {
  missingApiKey: () =>
    answer(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
      null,
      'invalid_api_key',
    ),
  invalidApiKey: (key: string) =>
    answer(
      401,
      `Incorrect API key provided: ${redactKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      null,
      'invalid_api_key',
    ),
  malformedJson: () =>
    answer(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
      'invalid_request_error',
      null,
      null,
    ),
  missingParam: (param: string) =>
    answer(
      400,
      `Missing required parameter: '${param}'.`,
      'invalid_request_error',
      param,
      'missing_required_parameter',
    ),
  invalidValue: (param: string, message: string) =>
    answer(400, message, 'invalid_request_error', param, 'invalid_value'),
  invalidType: (param: string, message: string) =>
    answer(400, message, 'invalid_request_error', param, 'invalid_type'),
  invalidRequest: (message: string, param: string | null = null) =>
    answer(400, message, 'invalid_request_error', param, null),
  notFound: (kind: string, id: string) =>
    answer(404, `No ${kind} found with id '${id}'.`, 'invalid_request_error', null, null),
  modelNotFound: (model: string) =>
    answer(
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      'invalid_request_error',
      null,
      'model_not_found',
    ),
  invalidUrl: (method: string, path: string) =>
    answer(404, `Invalid URL (${method} ${path})`, 'invalid_request_error', null, null),
  /** Not OpenAI's: an operation of its API the mock has no route for (its own 404 would say the URL is invalid). */
  notImplemented: (method: string, path: string, operationId: string) =>
    answer(
      404,
      `pollbench's mock does not implement ${method} ${path} (${operationId}), an operation of OpenAI's API.`,
      'invalid_request_error',
      null,
      'not_implemented_by_mock',
    ),
  streamingNotImplemented: (method: string, path: string, asked: string) =>
    answer(
      400,
      `pollbench's mock does not implement streaming (${asked} on ${method} ${path}); poll instead (a response: create it with background: true, then retrieve it until it ends).`,
      'invalid_request_error',
      'stream',
      'not_implemented_by_mock',
    ),
  methodNotAllowed: (method: string, path: string) =>
    answer(405, `Invalid method for URL (${method} ${path})`, 'invalid_request_error', null, null),
  bodyTooLarge: (limitBytes: number) =>
    answer(
      413,
      `Request body too large. The maximum size is ${limitBytes} bytes.`,
      'invalid_request_error',
      null,
      null,
    ),
  rateLimited: (args: {
    model: string;
    organization: string;
    dimension: Dimension;
    limit: number;
    used: number;
    requested: number;
    waitMs: number;
    freeTier: boolean;
  }) =>
    answer(
      429,
      `Rate limit reached for ${args.model} in organization ${args.organization} on ${DIMENSION_WORDS[args.dimension]}: Limit ${args.limit}, Used ${Math.round(args.used)}, Requested ${args.requested}. Please try again in ${formatGoDuration(args.waitMs)}. Visit ${RATE_LIMITS_URL} to learn more.${args.freeTier ? ' You can increase your rate limit by adding a payment method to your account at https://platform.openai.com/account/billing.' : ''}`,
      dimensionType(args.dimension),
      null,
      'rate_limit_exceeded',
    ),
  requestTooLarge: (args: {
    model: string;
    organization: string;
    dimension: Dimension;
    limit: number;
    requested: number;
  }) =>
    answer(
      429,
      `Request too large for ${args.model} in organization ${args.organization} on ${DIMENSION_WORDS[args.dimension]}: Limit ${args.limit}, Requested ${args.requested}. The input or output tokens must be reduced in order to run successfully. Visit ${RATE_LIMITS_URL} to learn more.`,
      dimensionType(args.dimension),
      null,
      'rate_limit_exceeded',
    ),
  insufficientQuota: () =>
    answer(
      429,
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      'insufficient_quota',
      null,
      'insufficient_quota',
    ),
  serverError: () =>
    answer(
      500,
      'The server had an error while processing your request. Sorry about that!',
      'server_error',
      null,
      null,
    ),
  overloaded: () =>
    answer(
      503,
      'Our servers are currently overloaded. Please try again later.',
      'service_unavailable_error',
      null,
      'server_is_overloaded',
    ),
};

function redactKey(key: string): string {
  return key.length <= 8
    ? key
    : `${key.slice(0, 3)}${'*'.repeat(Math.min(20, key.length - 7))}${key.slice(-4)}`;
}
