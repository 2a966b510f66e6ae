import type { ParseArgsConfig } from 'node:util';
import { parseHumanDuration, unitHint } from '../core/duration.ts';
import { apiKeyProblem, organizationProblem } from '../server/credentials.ts';
import type { JobLatency } from '../server/jobs/latency-config.ts';
import { DEFAULT_LATENCY } from '../server/jobs/latency-config.ts';
import { type Distribution, formatDistribution, parseDistribution } from '../server/latency.ts';
import type { LimiterAlgorithm } from '../server/limiter/bucket.ts';
import { isQuantum, QUANTUM_EXPECTED } from '../server/limiter/rate-limiter.ts';
import { loadLimitsFile } from '../server/limits/limits-file.ts';
import { isTier, TIERS } from '../server/limits/tier-tables.ts';
import type { FaultOptions, HeaderOptions, MockOpenAIOptions } from '../server/mock-options.ts';
import { ROUTE_IDS, type RouteId } from '../server/routes/route.ts';
import { UsageError } from './usage-error.ts';

/** Flags that configure the mock server, shared by `serve` and `sim`. */
export const MOCK_FLAGS = {
  tier: { type: 'string' },
  limits: { type: 'string' },
  seed: { type: 'string' },
  org: { type: 'string' },
  'api-key': { type: 'string', multiple: true },
  algorithm: { type: 'string' },
  quantize: { type: 'string' },
  'no-count-failed': { type: 'boolean' },
  'not-counted': { type: 'string', multiple: true },
  'rate-limit-headers': { type: 'string' },
  'no-retry-after': { type: 'boolean' },
  'no-retry-after-ms': { type: 'boolean' },
  'poll-after': { type: 'string' },
  'request-latency': { type: 'string' },
  'completion-latency': { type: 'string' },
  'run-queue': { type: 'string' },
  'run-duration': { type: 'string' },
  'run-fail-rate': { type: 'string' },
  'response-queue': { type: 'string' },
  'response-duration': { type: 'string' },
  'response-fail-rate': { type: 'string' },
  'batch-duration': { type: 'string' },
  'file-batch-queue': { type: 'string' },
  'file-batch-duration': { type: 'string' },
  'file-batch-fail-rate': { type: 'string' },
  'vector-store-rpm': { type: 'string' },
  'server-error-rate': { type: 'string' },
  'overloaded-rate': { type: 'string' },
  'quota-rate': { type: 'string' },
  'latency-spike-rate': { type: 'string' },
  'latency-spike': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Help text for {@link MOCK_FLAGS}. */
export const MOCK_FLAGS_HELP = `Mock server:
  --tier free|1|2|3|4|5        usage tier whose published limits apply (default free)
  --limits FILE                YAML/JSON limits file (your organization's limits page) instead of a tier
  --seed N                     root seed of every random draw (default 0)
  --org ORG                    organization id in messages and headers (default org-pollbench)
  --api-key KEY[=ORG]          accept only these keys; several keys may share an organization (repeatable)
  --algorithm NAME             token-bucket (default) | fixed-window | sliding-window
  --quantize DURATION          also enforce per-minute limits over slices of this length (under 1m, e.g. 1s)
  --no-count-failed            429s do not count against the request limits
  --not-counted ROUTE          exempt a route from the model's limits, e.g. runs.retrieve (repeatable)
  --rate-limit-headers MODE    always (default) | success-only | never
  --no-retry-after             omit retry-after on 429s;  --no-retry-after-ms  omit retry-after-ms
  --poll-after DURATION        send openai-poll-after-ms on job creates and retrieves (absent by default)
  --vector-store-rpm N         requests a minute each vector store allows its file batches (default 300)
Latency (DIST = 8s | uniform:1s:5s | lognormal:8s:0.6 | lognormal:8s:0.6:5m (capped) | empirical:2s,5s,9s):
  --request-latency DIST       time to answer any request (default ${formatDistribution(DEFAULT_LATENCY.request)})
  --completion-latency DIST    synchronous chat completions and responses (default ${formatDistribution(DEFAULT_LATENCY.completion)})
  --run-queue DIST  --run-duration DIST  --run-fail-rate P
  --response-queue DIST  --response-duration DIST  --response-fail-rate P
  --batch-duration DIST        time a batch spends in_progress (default ${formatDistribution(DEFAULT_LATENCY.batch.inProgress)})
  --file-batch-queue DIST  --file-batch-duration DIST  --file-batch-fail-rate P (per file)
                               vector-store file batches (default ${formatDistribution(DEFAULT_LATENCY.fileBatch.queue)}, ${formatDistribution(DEFAULT_LATENCY.fileBatch.duration)}, ${DEFAULT_LATENCY.fileBatch.failRate})
Faults (seeded; P is a probability per request):
  --server-error-rate P  --overloaded-rate P  --quota-rate P
  --latency-spike-rate P  --latency-spike DIST`;

/**
 * {@link MOCK_FLAGS_HELP} without the lines of the given flags, for a command that documents them
 * itself (`sim` has its own `--tier` and `--seed`) or does not take them.
 */
export function mockFlagsHelp(without: readonly (keyof typeof MOCK_FLAGS)[]): string {
  const omitted = new Set(without.map((flag) => `--${flag}`));
  return MOCK_FLAGS_HELP.split('\n')
    .filter((line) => !omitted.has(line.trim().split(' ')[0] ?? ''))
    .join('\n');
}

type MockFlagValues = {
  [K in keyof typeof MOCK_FLAGS]?: (typeof MOCK_FLAGS)[K] extends { multiple: true }
    ? string[]
    : (typeof MOCK_FLAGS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/** Parses a duration flag or throws a {@link UsageError} naming it. */
export function durationFlag(name: string, value: string): number {
  const ms = parseHumanDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0)
    throw new UsageError(
      `--${name}: expected a duration such as 10s, 500ms or 2m; got '${value}'${unitHint(value)}`,
    );
  return ms;
}

function quantumFlag(value: string): number {
  const ms = durationFlag('quantize', value);
  if (!isQuantum(ms)) throw new UsageError(`--quantize: ${QUANTUM_EXPECTED}; got '${value}'`);
  return ms;
}

/** Parses a probability flag. */
export function rateFlag(name: string, value: string): number {
  const p = Number(value);
  if (value.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1)
    throw new UsageError(`--${name}: expected a probability between 0 and 1; got '${value}'`);
  return p;
}

/** Parses an integer flag. */
export function intFlag(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min)
    throw new UsageError(`--${name}: expected an integer ≥ ${min}; got '${value}'`);
  // Beyond this, distinct inputs become the same number (a seed would alias another).
  if (!Number.isSafeInteger(n))
    throw new UsageError(`--${name}: at most ${Number.MAX_SAFE_INTEGER}; got '${value}'`);
  return n;
}

function distFlag(name: string, value: string): Distribution {
  try {
    return parseDistribution(value, parseHumanDuration);
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name}: expected one of ${allowed.join(', ')}; got '${value}'`);
  return value as T;
}

function jobLatency(
  prefix: 'run' | 'response' | 'file-batch',
  queue?: string,
  duration?: string,
  fail?: string,
): Partial<JobLatency> | undefined {
  const latency = {
    ...(queue === undefined ? {} : { queue: distFlag(`${prefix}-queue`, queue) }),
    ...(duration === undefined ? {} : { duration: distFlag(`${prefix}-duration`, duration) }),
    ...(fail === undefined ? {} : { failRate: rateFlag(`${prefix}-fail-rate`, fail) }),
  };
  return Object.keys(latency).length === 0 ? undefined : latency;
}

const nonEmpty = <T extends object>(value: T): T | undefined =>
  Object.keys(value).length === 0 ? undefined : value;

/**
 * Turns parsed mock flags into {@link MockOpenAIOptions}: only what the flags say, so the result can
 * override a scenario (see {@link mergeMockOptions}). Throws {@link UsageError} on bad values.
 */
export function mockOptionsFromFlags(values: MockFlagValues): MockOpenAIOptions {
  if (values.tier !== undefined && !isTier(values.tier))
    throw new UsageError(`--tier: expected one of ${TIERS.join(', ')}; got '${values.tier}'`);
  if (values.tier !== undefined && values.limits !== undefined)
    throw new UsageError('--tier and --limits are exclusive: give one');
  const apiKeys: Record<string, string> = {};
  const org = values.org ?? 'org-pollbench';
  const orgIssue = organizationProblem(org);
  if (orgIssue !== undefined) throw new UsageError(`--org: ${orgIssue}`);
  for (const entry of values['api-key'] ?? []) {
    // At the first '=' only: the rest, '=' included, is the organization (nothing is dropped).
    const split = entry.indexOf('=');
    const key = split < 0 ? entry : entry.slice(0, split);
    const keyOrg = split < 0 ? org : entry.slice(split + 1);
    const keyIssue = apiKeyProblem(key);
    if (keyIssue !== undefined) throw new UsageError(`--api-key: in '${entry}', the key: ${keyIssue}`);
    const keyOrgIssue = organizationProblem(keyOrg);
    if (keyOrgIssue !== undefined)
      throw new UsageError(`--api-key: in '${entry}', the organization: ${keyOrgIssue}`);
    apiKeys[key] = keyOrg;
  }
  const run = jobLatency('run', values['run-queue'], values['run-duration'], values['run-fail-rate']);
  const response = jobLatency(
    'response',
    values['response-queue'],
    values['response-duration'],
    values['response-fail-rate'],
  );
  const fileBatch = jobLatency(
    'file-batch',
    values['file-batch-queue'],
    values['file-batch-duration'],
    values['file-batch-fail-rate'],
  );
  const latency = nonEmpty({
    ...(values['request-latency'] === undefined
      ? {}
      : { request: distFlag('request-latency', values['request-latency']) }),
    ...(values['completion-latency'] === undefined
      ? {}
      : { completion: distFlag('completion-latency', values['completion-latency']) }),
    ...(run === undefined ? {} : { run: run as JobLatency }),
    ...(response === undefined ? {} : { response: response as JobLatency }),
    ...(fileBatch === undefined ? {} : { fileBatch: fileBatch as JobLatency }),
    ...(values['batch-duration'] === undefined
      ? {}
      : {
          batch: {
            ...DEFAULT_LATENCY.batch,
            inProgress: distFlag('batch-duration', values['batch-duration']),
          },
        }),
  });
  const headers = nonEmpty<HeaderOptions>({
    ...(values['rate-limit-headers'] === undefined
      ? {}
      : {
          rateLimit: oneOf('rate-limit-headers', values['rate-limit-headers'], [
            'always',
            'success-only',
            'never',
          ] as const),
        }),
    ...(values['no-retry-after'] ? { retryAfter: false } : {}),
    ...(values['no-retry-after-ms'] ? { retryAfterMs: false } : {}),
    ...(values['poll-after'] === undefined
      ? {}
      : { pollAfterMs: durationFlag('poll-after', values['poll-after']) }),
  });
  const faults = nonEmpty<FaultOptions>({
    ...(values['server-error-rate'] === undefined
      ? {}
      : { serverErrorRate: rateFlag('server-error-rate', values['server-error-rate']) }),
    ...(values['overloaded-rate'] === undefined
      ? {}
      : { overloadedRate: rateFlag('overloaded-rate', values['overloaded-rate']) }),
    ...(values['quota-rate'] === undefined
      ? {}
      : { insufficientQuotaRate: rateFlag('quota-rate', values['quota-rate']) }),
    ...(values['latency-spike-rate'] === undefined
      ? {}
      : { latencySpikeRate: rateFlag('latency-spike-rate', values['latency-spike-rate']) }),
    ...(values['latency-spike'] === undefined
      ? {}
      : { latencySpike: distFlag('latency-spike', values['latency-spike']) }),
  });
  const limiter = nonEmpty({
    ...(values.algorithm === undefined
      ? {}
      : {
          algorithm: oneOf('algorithm', values.algorithm, [
            'token-bucket',
            'fixed-window',
            'sliding-window',
          ] as const satisfies readonly LimiterAlgorithm[]),
        }),
    ...(values['no-count-failed'] ? { countFailedRequests: false } : {}),
    ...(values.quantize === undefined ? {} : { quantization: { quantumMs: quantumFlag(values.quantize) } }),
  });
  const countedRoutes: Partial<Record<RouteId, boolean>> = {};
  for (const route of values['not-counted'] ?? []) {
    if (!ROUTE_IDS.includes(route as RouteId))
      throw new UsageError(
        `--not-counted: expected a route such as runs.retrieve (one of ${ROUTE_IDS.join(', ')}); got '${route}'`,
      );
    countedRoutes[route as RouteId] = false;
  }
  return {
    ...(values.tier === undefined ? {} : { tier: values.tier }),
    ...(values.limits === undefined ? {} : { limits: loadLimitsFile(values.limits) }),
    ...(values.seed === undefined ? {} : { seed: intFlag('seed', values.seed, 0) }),
    ...(values.org === undefined ? {} : { organization: org }),
    ...(values['vector-store-rpm'] === undefined
      ? {}
      : { vectorStoreRpm: intFlag('vector-store-rpm', values['vector-store-rpm'], 1) }),
    ...(Object.keys(apiKeys).length > 0 ? { apiKeys } : {}),
    ...(limiter === undefined ? {} : { limiter }),
    ...(Object.keys(countedRoutes).length > 0 ? { countedRoutes } : {}),
    ...(headers === undefined ? {} : { headers }),
    ...(latency === undefined ? {} : { latency }),
    ...(faults === undefined ? {} : { faults }),
  };
}

/** Overrides `base` with `override`, section by section (limiter, headers, latency, faults, routes). */
export function mergeMockOptions<T extends MockOpenAIOptions>(base: T, override: MockOpenAIOptions): T {
  // A job model given in part (`--run-duration` alone) overrides only its own fields.
  const mergeJob = (kind: 'run' | 'response' | 'fileBatch') => {
    const given = override.latency?.[kind];
    return given ? { [kind]: { ...DEFAULT_LATENCY[kind], ...base.latency?.[kind], ...given } } : {};
  };
  const latency =
    base.latency === undefined && override.latency === undefined
      ? undefined
      : {
          ...base.latency,
          ...override.latency,
          ...mergeJob('run'),
          ...mergeJob('response'),
          ...mergeJob('fileBatch'),
        };
  const merged: MockOpenAIOptions = {
    ...base,
    ...override,
    ...(override.tier !== undefined || override.limits !== undefined
      ? { tier: override.tier, limits: override.limits }
      : {}),
    limiter: { ...base.limiter, ...override.limiter },
    headers: { ...base.headers, ...override.headers },
    faults: { ...base.faults, ...override.faults },
    countedRoutes: { ...base.countedRoutes, ...override.countedRoutes },
    ...(latency === undefined ? {} : { latency }),
  };
  return merged as T;
}
