/**
 * fast-check arbitraries for property tests of polling strategies (`pollbench/arbitraries`): studies
 * drawn over tiers, flows, job counts, workers, clients, arrivals, latency distributions, faults and
 * seeds. Each drawn study is built from `sim` flags, so a counterexample prints as the command that
 * replays it. fast-check is a peer dependency of this entry point only.
 */
import fc from 'fast-check';
import { type Distribution, formatDistribution } from '../src/server/latency.ts';
import type { LimiterAlgorithm } from '../src/server/limiter/bucket.ts';
import { TIERS, type Tier } from '../src/server/limits/tier-tables.ts';
import type { SimulationConfig } from './engine.ts';
import { shellWord } from './replay-command.ts';
import { configFromArgs } from './sim-flags.ts';
import { type FlowName, WORKLOAD_LIMITS } from './workloads/workload.ts';

/** Options of {@link distributionArbitrary}. */
export interface DistributionArbitraryOptions {
  /** Longest duration drawn (medians, bounds, values, caps). @unit milliseconds @defaultValue 60_000 */
  readonly maxMs?: number;
}

/**
 * Distributions of durations of every kind the mock draws from: fixed, uniform, lognormal (with or
 * without a cap) and empirical. Durations are whole milliseconds and σ is in hundredths, so that each
 * prints as short `sim` flag text. Shrinks towards short fixed durations.
 */
export function distributionArbitrary(
  options: DistributionArbitraryOptions = {},
): fc.Arbitrary<Distribution> {
  const maxMs = options.maxMs ?? 60_000;
  if (!Number.isInteger(maxMs) || maxMs < 1)
    throw new RangeError(
      `distributionArbitrary: maxMs must be a whole number of ms, at least 1; got ${maxMs}`,
    );
  const ms = fc.integer({ min: 0, max: maxMs });
  // Cross-shrinking: a counterexample shrinks to a fixed duration when the kind does not matter.
  return fc.oneof(
    { withCrossShrink: true },
    ms.map((value): Distribution => ({ kind: 'fixed', ms: value })),
    fc
      .tuple(ms, ms)
      .map(([a, b]): Distribution => ({ kind: 'uniform', minMs: Math.min(a, b), maxMs: Math.max(a, b) })),
    fc
      .record({
        medianMs: fc.integer({ min: 1, max: maxMs }),
        sigma: fc.integer({ min: 0, max: 120 }).map((hundredths) => hundredths / 100),
        cap: fc.option(fc.integer({ min: 0, max: maxMs }), { nil: undefined }),
      })
      .map(
        ({ medianMs, sigma, cap }): Distribution => ({
          kind: 'lognormal',
          medianMs,
          sigma,
          // A cap is at least the median (parseDistribution refuses one below it).
          ...(cap === undefined ? {} : { maxMs: Math.max(cap, medianMs) }),
        }),
      ),
    fc
      .array(ms, { minLength: 1, maxLength: 5 })
      .map((values): Distribution => ({ kind: 'empirical', ms: values })),
  );
}

/** A range of whole numbers, both ends included. */
export interface IntRange {
  readonly min?: number;
  readonly max?: number;
}

/** Options of {@link simulationArbitrary}; every field is optional. */
export interface SimulationArbitraryOptions {
  /** Tiers drawn from; each starts from its preset (`sim --tier`). @defaultValue all six */
  readonly tiers?: readonly Tier[];
  /** Workload flows drawn from. @defaultValue `['assistants', 'responses']` (batches last hours) */
  readonly flows?: readonly FlowName[];
  /** Jobs per client. @defaultValue 1–6 */
  readonly jobs?: IntRange;
  /** Jobs each client runs at once. @defaultValue 1–3 */
  readonly workers?: IntRange;
  /** Uncoordinated clients sharing the organization's limits. @defaultValue 1–2 */
  readonly clients?: IntRange;
  /** Arrival patterns drawn from (gaps up to 30 s). @defaultValue all three */
  readonly arrivals?: readonly ('all' | 'gap' | 'poisson')[];
  /**
   * Poller specs every drawn study runs, as `--poller` takes them (`adaptive`, `fixed:interval=10s`).
   * A poller of your own must be registered first. @defaultValue the tier preset's six pollers
   */
  readonly pollers?: readonly string[];
  /**
   * Module files that register the pollers of your own, printed as `--import` in the replay command
   * (this function imports nothing). @defaultValue none
   */
  readonly imports?: readonly string[];
  /** Transports drawn from. @defaultValue `['fast']` (the `sdk` one is about 10 times slower) */
  readonly transports?: readonly ('fast' | 'sdk')[];
  /** Longest job queue delay drawn. @unit milliseconds @defaultValue 5_000 */
  readonly queueMaxMs?: number;
  /** Longest job duration drawn (`in_progress` time; a batch's too). @unit milliseconds @defaultValue 60_000 */
  readonly durationMaxMs?: number;
  /** Highest probability of a job ending failed. @defaultValue 0.1 */
  readonly failRateMax?: number;
  /** Also draw seeded 500s, 503s and latency spikes, each at most 10 % of requests. @defaultValue false */
  readonly faults?: boolean;
  /**
   * Also draw what the 429s and answers carry: `x-ratelimit-*` always, on successes only or never, and
   * `retry-after`/`retry-after-ms` or not. @defaultValue false (every header sent, as OpenAI does)
   */
  readonly headers?: boolean;
  /**
   * Characters in each job's prompt (`sim --prompt-chars`; the mock charges a quarter of them as
   * tokens), drawn on a log scale so that short and long prompts come up alike; a range may reach past a
   * tier's whole TPM budget, which the server answers "Request too large". `{}` draws from 1 to 1,000,000.
   * @defaultValue not drawn: the tier preset's prompt
   */
  readonly promptChars?: IntRange;
  /** Limiter algorithms drawn from. @defaultValue `['token-bucket']` (OpenAI's, facts §3) */
  readonly algorithms?: readonly LimiterAlgorithm[];
  /** More `sim` flags given to every study, e.g. `['--quantize', '1s']`. @defaultValue none */
  readonly args?: readonly string[];
}

/**
 * `sim` flag lists of studies drawn as {@link simulationArbitrary} describes; each is a valid
 * `npm run sim -- …` command line of one run.
 */
export function simulationArgsArbitrary(options: SimulationArbitraryOptions = {}): fc.Arbitrary<string[]> {
  const tiers = nonEmpty('tiers', options.tiers ?? TIERS);
  const flows = nonEmpty('flows', options.flows ?? ['assistants', 'responses']);
  const arrivals = nonEmpty('arrivals', options.arrivals ?? ['all', 'gap', 'poisson']);
  const transports = nonEmpty('transports', options.transports ?? ['fast']);
  const algorithms = nonEmpty('algorithms', options.algorithms ?? ['token-bucket']);
  const failRateMax = options.failRateMax ?? 0.1;
  if (!(failRateMax >= 0 && failRateMax <= 1))
    throw new RangeError(`simulationArbitrary: failRateMax must be a probability; got ${failRateMax}`);
  const probability = (max: number) => fc.integer({ min: 0, max: Math.round(max * 100) }).map((n) => n / 100);
  const gap = fc.integer({ min: 0, max: 30_000 });
  const arbitrary = fc.record({
    tier: fc.constantFrom(...tiers),
    flow: fc.constantFrom(...flows),
    jobs: range('jobs', options.jobs, 1, 6),
    workers: range('workers', options.workers, 1, 3),
    clients: range('clients', options.clients, 1, 2),
    arrival: fc
      .constantFrom(...arrivals)
      .chain((kind) => (kind === 'all' ? fc.constant('all') : gap.map((ms) => `${kind}:${ms}ms`))),
    queue: distributionArbitrary({ maxMs: options.queueMaxMs ?? 5_000 }),
    duration: distributionArbitrary({ maxMs: options.durationMaxMs ?? 60_000 }),
    failRate: probability(failRateMax),
    transport: fc.constantFrom(...transports),
    algorithm: fc.constantFrom(...algorithms),
    faults: options.faults
      ? fc.record({
          serverError: probability(0.1),
          overloaded: probability(0.1),
          spikeRate: probability(0.1),
          spike: distributionArbitrary({ maxMs: 10_000 }),
        })
      : fc.constant(undefined),
    headers: options.headers
      ? fc.record({
          rateLimit: fc.constantFrom('always', 'success-only', 'never'),
          // Drawn as omissions, so that shrinking (towards false) leads to the headers OpenAI sends.
          omitRetryAfter: fc.boolean(),
          omitRetryAfterMs: fc.boolean(),
        })
      : fc.constant(undefined),
    promptChars:
      options.promptChars === undefined
        ? fc.constant(undefined)
        : logRange('promptChars', options.promptChars, WORKLOAD_LIMITS.promptChars),
    seed: fc.nat({ max: 2_147_483_647 }),
  });
  const pollers = (options.pollers ?? []).flatMap((spec) => ['--poller', spec]);
  const extra = [...(options.args ?? [])];
  // A flag given twice keeps its last value: one in args would silently undo (or be undone by) a draw.
  const drawn = options.promptChars === undefined ? DRAWN_FLAGS : new Set([...DRAWN_FLAGS, '--prompt-chars']);
  const repeated = extra.find((arg) => drawn.has(arg.split('=')[0] ?? ''));
  if (repeated !== undefined)
    throw new RangeError(
      `simulationArbitrary: args must not give ${repeated.split('=')[0]}, which is drawn; use the options (tiers, flows, jobs, …) instead`,
    );
  type Drawn = typeof arbitrary extends fc.Arbitrary<infer T> ? T : never;
  const toArgs = (s: Drawn): string[] => {
    const job = s.flow === 'assistants' ? 'run' : s.flow === 'vector-store' ? 'file-batch' : 'response';
    const latency =
      s.flow === 'batch'
        ? ['--batch-duration', formatDistribution(s.duration)]
        : [
            `--${job}-queue`,
            formatDistribution(s.queue),
            `--${job}-duration`,
            formatDistribution(s.duration),
            `--${job}-fail-rate`,
            String(s.failRate),
          ];
    return [
      '--tier',
      s.tier,
      '--workload',
      s.flow,
      '--jobs',
      String(s.jobs),
      '--workers',
      String(s.workers),
      '--clients',
      String(s.clients),
      '--arrival',
      s.arrival,
      ...latency,
      ...(s.algorithm === 'token-bucket' ? [] : ['--algorithm', s.algorithm]),
      // A zero rate is the mock's default: left out, so that a shrunk counterexample reads short.
      ...(s.faults === undefined || s.faults.serverError === 0
        ? []
        : ['--server-error-rate', String(s.faults.serverError)]),
      ...(s.faults === undefined || s.faults.overloaded === 0
        ? []
        : ['--overloaded-rate', String(s.faults.overloaded)]),
      ...(s.faults === undefined || s.faults.spikeRate === 0
        ? []
        : [
            '--latency-spike-rate',
            String(s.faults.spikeRate),
            '--latency-spike',
            formatDistribution(s.faults.spike),
          ]),
      ...(s.headers === undefined
        ? []
        : [
            ...(s.headers.rateLimit === 'always' ? [] : ['--rate-limit-headers', s.headers.rateLimit]),
            ...(s.headers.omitRetryAfter ? ['--no-retry-after'] : []),
            ...(s.headers.omitRetryAfterMs ? ['--no-retry-after-ms'] : []),
          ]),
      ...(s.promptChars === undefined ? [] : ['--prompt-chars', String(s.promptChars)]),
      ...(s.transport === 'fast' ? [] : ['--transport', s.transport]),
      ...pollers,
      ...extra,
      '--seed',
      String(s.seed),
    ];
  };
  // A mistake in the options (an unknown poller, a bad flag in args) is reported here, once, and not as
  // a failure of the first property run.
  const first = fc.sample(arbitrary, { numRuns: 1, seed: 0 })[0];
  if (first !== undefined) configFromArgs(toArgs(first));
  return arbitrary.map(toArgs);
}

/**
 * Single-run studies for property tests, drawn over tiers, flows, job counts, workers, clients, arrival
 * patterns, job latency distributions and seeds (and faults and header modes when asked for). Each is
 * the config `npm run sim -- ARGS` would run, built by `configFromArgs`, so fast-check prints a
 * counterexample as the command that replays it:
 * `npx pollbench-sim --tier 1 --workload responses --jobs 3 … --seed 812`.
 * @throws RangeError or `UsageError` at once for options that describe no valid study
 */
export function simulationArbitrary(
  options: SimulationArbitraryOptions = {},
): fc.Arbitrary<SimulationConfig> {
  const imports = (options.imports ?? []).flatMap((file) => ['--import', file]);
  return simulationArgsArbitrary(options).map((args) => {
    const config = configFromArgs(args);
    const command = `npx pollbench-sim ${[...imports, ...args].map(shellWord).join(' ')}`;
    // Not enumerable: a copy made with spread is a plain config again.
    Object.defineProperty(config, fc.toStringMethod, { value: () => command, enumerable: false });
    return config;
  });
}

// Every flag the arbitrary may write, --poller included: the pollers option gives those.
const DRAWN_FLAGS = new Set(
  [
    'tier',
    'workload',
    'jobs',
    'workers',
    'clients',
    'arrival',
    'run-queue',
    'run-duration',
    'run-fail-rate',
    'response-queue',
    'response-duration',
    'response-fail-rate',
    'batch-duration',
    'algorithm',
    'server-error-rate',
    'overloaded-rate',
    'latency-spike-rate',
    'latency-spike',
    'rate-limit-headers',
    'no-retry-after',
    'no-retry-after-ms',
    'transport',
    'poller',
    'seed',
  ].map((flag) => `--${flag}`),
);

function nonEmpty<T>(name: string, values: readonly T[]): readonly T[] {
  if (values.length === 0) throw new RangeError(`simulationArbitrary: ${name} must list at least one value`);
  return values;
}

/**
 * Whole numbers from `given` (1 to `max` where it leaves an end out), uniform in their logarithm, each
 * power of ten as likely as the next, apart from fast-check's usual lean towards both ends (about a fifth
 * of the draws are the lowest few). Shrinks towards the low end.
 */
function logRange(name: string, given: IntRange, max: number): fc.Arbitrary<number> {
  const [lo, hi] = bounds(name, given, 1, max, max);
  // A million steps of the logarithm: fine enough that every whole number in a range can come up.
  const steps = 1_000_000;
  const span = Math.log(hi / lo);
  return fc
    .integer({ min: 0, max: steps })
    .map((step) => Math.min(hi, Math.max(lo, Math.round(lo * Math.exp((span * step) / steps)))));
}

function range(name: string, given: IntRange | undefined, min: number, max: number): fc.Arbitrary<number> {
  const [lo, hi] = bounds(name, given, min, max);
  return fc.integer({ min: lo, max: hi });
}

/**
 * The ends of `given`, `min` and `max` where it leaves one out (`max` raised to `min` when a given `min`
 * passes it), checked: whole numbers, 1 ≤ lo ≤ hi ≤ `ceiling`.
 */
function bounds(
  name: string,
  given: IntRange | undefined,
  min: number,
  max: number,
  ceiling = Number.POSITIVE_INFINITY,
): [lo: number, hi: number] {
  const lo = given?.min ?? min;
  const hi = given?.max ?? Math.max(max, lo);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo || hi > ceiling)
    throw new RangeError(
      `simulationArbitrary: ${name} must be whole numbers with 1 ≤ min ≤ max${Number.isFinite(ceiling) ? ` ≤ ${ceiling.toLocaleString('en-US')}` : ''}; got ${JSON.stringify(given)}`,
    );
  return [lo, hi];
}
