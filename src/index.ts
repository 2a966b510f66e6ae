/**
 * pollbench: a mock OpenAI API with its rate limits, headers and job lifecycles, the polling
 * strategies people use against it, and the clients that carry them.
 */

export {
  ApiCallError,
  type ApiClient,
  type CallResult,
  type HeaderReader,
  type JobBody,
  TERMINAL,
} from './client/api-client.ts';
export { type ApiRequest, apiRequests } from './client/api-request.ts';
export { createFastClient, type FastClientOptions } from './client/fast-client.ts';
export { clientFromOpenAI, type SdkCall } from './client/openai-client.ts';
export {
  PYTHON_2_51_MAX_RETRY_AFTER_MS,
  PYTHON_HELPER_DEFAULT_INTERVAL_MS,
  PYTHON_MAX_RETRY_AFTER_MS,
  python251RetryDelayMs,
  python251ShouldRetry,
  pythonRetryAfterSeconds,
  pythonRetryDelayMs,
  pythonShouldRetry,
} from './client/python-sdk.ts';
export { createSdkClient, type SdkClientOptions, SeededOpenAI } from './client/sdk-client.ts';
export { sdkDefaultBackoffMs, sdkRetryDelayMs, sdkShouldRetry } from './client/sdk-retry.ts';
export { SDK_LANGS, SDK_RULES, type SdkLang, type SdkRules } from './client/sdk-rules.ts';
export { type RecordTrafficOptions, recordTraffic, UNNAMED_MODEL } from './client/traffic-recorder.ts';
export { type Clock, clockFromTimers, systemClock } from './core/clock.ts';
export { formatGoDuration, parseGoDuration, parseHumanDuration } from './core/duration.ts';
export { createRandom, type Random } from './core/random.ts';
export {
  type AttachedPoller,
  type AttachOptions,
  attachPoller,
  type SdkCallMaker,
  type SendOptions,
  type Waitable,
  type WaitOptions,
} from './pollers/attach-poller.ts';
export { type BackoffShape, backoffDelay, type Jitter } from './pollers/jitter.ts';
export {
  JobAbandoned,
  type OracleView,
  type Poller,
  type PollerContext,
  type PollerFactory,
  type PollerParams,
  type PollTarget,
  sendWithPolicy,
} from './pollers/poller.ts';
export {
  type ParamSpec,
  POLLERS,
  type PollerChoice,
  type PollerEntry,
  parsePollerSpec,
  registerPoller,
} from './pollers/registry.ts';
export { createMockOpenAI, type MockOpenAI } from './server/create-mock-openai.ts';
export { openAIErrors, tryAgainMs } from './server/errors.ts';
export {
  type HttpServerOptions,
  type MockHttpServer,
  type OutsideApiAnswer,
  startHttpServer,
} from './server/http-server.ts';
export type { JobView } from './server/jobs/job.ts';
export { DEFAULT_LATENCY, type JobLatency, type LatencyConfig } from './server/jobs/latency-config.ts';
export type { Distribution } from './server/latency.ts';
export type { LimiterAlgorithm } from './server/limiter/bucket.ts';
export { type Admission, type LimiterOptions, RateLimiter } from './server/limiter/rate-limiter.ts';
export { InputFileError, loadLimitsFile, parseLimitsTable } from './server/limits/limits-file.ts';
export { TIER_TABLES, type Tier } from './server/limits/tier-tables.ts';
export type { Dimension, LimitsTable, ModelLimits } from './server/limits/types.ts';
export { type CoreRequest, type CoreResponse, MockCore } from './server/mock-core.ts';
export type { FaultOptions, FaultWindow, HeaderOptions, MockOpenAIOptions } from './server/mock-options.ts';
export type { RequestRecord } from './server/request-record.ts';
export { POLLBENCH_VERSION } from './version.ts';
