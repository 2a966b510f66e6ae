import { SDK_LANGS } from '../client/sdk-rules.ts';
import { didYouMean } from '../core/did-you-mean.ts';
import { formatHumanDuration, parseHumanDuration, unitHint } from '../core/duration.ts';
import { adaptivePoller } from './adaptive.ts';
import { backoffPoller } from './backoff.ts';
import { limiterPoller } from './client-limiter.ts';
import { entryProblem } from './entry-schema.ts';
import { fixedPoller } from './fixed.ts';
import { oraclePoller } from './oracle.ts';
import type { PollerFactory, PollerParams } from './poller.ts';
import { sdkPoller } from './sdk-helper.ts';

/** One parameter of a poller: how it is written, its default, what it means. */
export type ParamSpec =
  | { readonly kind: 'duration'; readonly default: number; readonly doc: string }
  | {
      readonly kind: 'number';
      readonly default: number;
      readonly min: number;
      readonly max: number;
      readonly doc: string;
    }
  | { readonly kind: 'int'; readonly default: number; readonly min: number; readonly doc: string }
  | {
      readonly kind: 'enum';
      readonly default: string;
      readonly values: readonly string[];
      readonly doc: string;
    };

/** A registered poller. */
export interface PollerEntry {
  readonly factory: PollerFactory;
  readonly summary: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /**
   * The parameter that names a configuration (`fixed`'s interval): shown in labels whenever any
   * parameter is given, even at its default. @defaultValue none
   */
  readonly main?: string | undefined;
  /**
   * Checks the parameters together, once each is valid alone: what is wrong (`min (2m) exceeds max
   * (1m)`), or `undefined`. @defaultValue none
   */
  readonly check?: ((params: PollerParams) => string | undefined) | undefined;
}

/** `a` ≤ `b` for two duration parameters, worded for {@link PollerEntry.check}. */
const notAbove =
  (a: string, b: string) =>
  (params: PollerParams): string | undefined =>
    (params[a] as number) <= (params[b] as number)
      ? undefined
      : `${a} (${formatHumanDuration(params[a] as number)}) exceeds ${b} (${formatHumanDuration(params[b] as number)})`;

const retries = (value: number): ParamSpec => ({
  kind: 'int',
  default: value,
  min: 0,
  doc: "the SDK's own retries (SDK default: 2)",
});
const duration = (value: number, doc: string): ParamSpec => ({ kind: 'duration', default: value, doc });
// Every poller whose client makes SDK retries has one: the retries, and `sdk`'s helper, are the SDK's.
const lang: ParamSpec = {
  kind: 'enum',
  default: 'node',
  values: SDK_LANGS,
  doc: "whose SDK the program uses, for its retries (and sdk's poll helper): node, python (1 s helper polls, retry-after up to 120 s, none beyond), or python-2.51 (Python before 2.52: retry-after up to 60 s, then its backoff); the Python ones on the fast transport only",
};

/** Every poller by name: the built-in ones, and any added with {@link registerPoller}. */
export const POLLERS: Record<string, PollerEntry> = {
  fixed: {
    factory: fixedPoller,
    main: 'interval',
    summary: 'sleep `interval` before each poll (the seed program: 10 s, and 20 s `gap` between files)',
    params: {
      interval: duration(10_000, 'sleep before each poll'),
      gap: duration(0, 'pause after each job'),
      retries: retries(2),
      lang,
    },
  },
  backoff: {
    factory: backoffPoller,
    main: 'base',
    // A first delay over the cap would make every delay the cap: a fixed poller, not what was asked.
    check: notAbove('base', 'cap'),
    summary: 'exponential delays with jitter, between polls and after 429/5xx',
    params: {
      base: duration(1_000, 'first delay'),
      factor: { kind: 'number', default: 2, min: 1, max: 10, doc: 'growth per attempt' },
      cap: duration(60_000, 'largest delay'),
      jitter: {
        kind: 'enum',
        default: 'full',
        values: ['none', 'full', 'equal', 'decorrelated'],
        doc: 'Brooker 2015',
      },
      attempts: {
        kind: 'int',
        default: 20,
        min: 1,
        doc: 'polls per job, and tries per request, before giving up',
      },
      gap: duration(0, 'pause after each job'),
      retries: retries(0),
      lang,
    },
  },
  adaptive: {
    factory: adaptivePoller,
    // Neither bound could hold: every gap would be `max`, below `min`.
    check: notAbove('min', 'max'),
    summary: 'paces to the x-ratelimit-* budget, obeys retry-after with jitter, learns job durations',
    params: {
      pollCost: duration(
        0,
        'least detection delay a poll must be worth (0: one budget slot, so spare budget is spent on polls; on a route that never showed a limit, one slot of the published RPM, else `initial`)',
      ),
      initial: duration(1_000, 'shortest poll delay while nothing is learned'),
      tail: {
        kind: 'number',
        default: 0.1,
        min: 0.01,
        max: 2,
        doc: 'poll after this fraction of a job’s age while nothing is learned, or when it outlived every observation',
      },
      min: duration(250, 'shortest gap between polls of a job'),
      max: duration(60_000, 'longest gap between polls of a job'),
      jitter: {
        kind: 'number',
        default: 0.1,
        min: 0,
        max: 1,
        doc: 'fraction of retry-after added at random',
      },
      jitterCap: duration(1_000, 'most jitter added to a retry-after'),
      attempts: { kind: 'int', default: 10, min: 1, doc: 'tries per request before giving up' },
      clients: {
        kind: 'int',
        default: 1,
        min: 1,
        doc: 'processes of the program that share the organization’s limits, each running this poller: each paces to its part of the budget (1/clients) from the first request, and keeps back what the others may send in one round trip',
      },
      quantized: {
        kind: 'enum',
        default: 'yes',
        values: ['yes', 'auto', 'no'],
        doc: 'assume per-minute limits are also enforced per second (limit/60 a second): yes from the start (no 429 from it, slower bursts); auto until one test burst of limit/60 + 1 in an instant shows the server does not (a server that does refuses one of them, or a few for their tokens), and again after a 429 the headers did not predict; no never',
      },
      retries: retries(0),
      lang,
    },
  },
  sdk: {
    factory: sdkPoller,
    main: 'interval',
    summary:
      "the SDK's runs.poll helper (openai-poll-after-ms, else 5 s; Python's 1 s); the docs' 2 s loop for responses",
    params: {
      interval: duration(2_000, 'loop interval for responses and batches'),
      retries: retries(2),
      lang,
    },
  },
  limiter: {
    factory: limiterPoller,
    // No main parameter: its default, rpm=0 ("the tier's published limit"), would read as zero in a label.
    summary: "the cookbook's client-side bucket at the published RPM/TPM, 15 s pause after a 429",
    params: {
      rpm: {
        kind: 'int',
        default: 0,
        min: 0,
        doc: 'requests per minute to pace to (0: the tier’s published limit)',
      },
      tpm: { kind: 'int', default: 0, min: 0, doc: 'tokens per minute (0: the tier’s published limit)' },
      pause: duration(15_000, 'pause of every request after a 429'),
      interval: duration(5_000, 'sleep before each poll'),
      attempts: { kind: 'int', default: 5, min: 1, doc: 'tries per request' },
      clients: {
        kind: 'int',
        default: 1,
        min: 1,
        doc: 'processes of the program that share the organization’s limits, each running this poller: the published RPM and TPM are divided among them (a given rpm or tpm is not)',
      },
      retries: retries(0),
      lang,
    },
  },
  oracle: {
    factory: oraclePoller,
    summary: 'the lower bound: knows when jobs finish and the server budget; one poll per job',
    params: {},
  },
};

/**
 * The pollers this module defines, without any added by {@link registerPoller}: the ones a fresh
 * process (or worker thread) knows by name.
 */
export const BUILT_IN_POLLERS: ReadonlySet<string> = new Set(Object.keys(POLLERS));

/**
 * Adds your own poller, usable as `--poller NAME:…` and in scenario files, compared like the built-in
 * ones. Its `factory` gets the same context (clock, seeded random stream, API client, published limits).
 * @throws {@link PollerSpecError} if the name is taken or not a plain identifier, or the entry is not a
 * {@link PollerEntry} (the error names the field: a default out of its range, a `factory` that is not a
 * function, …).
 */
export function registerPoller(name: string, entry: PollerEntry): void {
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new PollerSpecError(`poller names are lowercase identifiers; got '${name}'`);
  if (Object.hasOwn(POLLERS, name))
    throw new PollerSpecError(`a poller named '${name}' is already registered`);
  const problem = entryProblem(entry);
  if (problem !== undefined) throw new PollerSpecError(`registerPoller('${name}', …): ${problem}`);
  POLLERS[name] = entry;
}

/** A poller chosen by name with complete, validated parameters. */
export interface PollerChoice {
  readonly name: string;
  readonly params: PollerParams;
}

/** A bad poller spec; the message says what was expected. */
export class PollerSpecError extends Error {
  override readonly name = 'PollerSpecError';
  /**
   * True when every value is valid alone but together they break a rule across parameters (a `base`
   * above the `cap`): what a `--tune` over several ranges can meet at one corner of them only.
   */
  readonly acrossParams: boolean;

  constructor(message: string, options: { readonly acrossParams?: boolean } = {}) {
    super(message);
    this.acrossParams = options.acrossParams ?? false;
  }
}

/**
 * Parses `name` or `name:key=value,key=value` (e.g. `fixed:interval=10s,gap=20s`), filling defaults.
 * @throws {@link PollerSpecError}
 */
export function parsePollerSpec(spec: string): PollerChoice {
  const { name, values } = splitPollerSpec(spec);
  return resolvePoller(name, values, `'${spec}'`);
}

/**
 * The name and the raw `key=value` pairs of a spec, not yet checked against the poller.
 * @throws {@link PollerSpecError} on a pair without `=`, or a key given twice
 */
export function splitPollerSpec(spec: string): {
  readonly name: string;
  readonly values: Readonly<Record<string, string>>;
} {
  const [name = '', rest] = splitOnce(spec.trim(), ':');
  const values: Record<string, string> = {};
  if (rest !== undefined && rest.trim() !== '') {
    for (const pair of rest.split(',')) {
      const [key = '', value] = splitOnce(pair.trim(), '=');
      if (value === undefined) throw new PollerSpecError(`'${pair}' in '${spec}': expected key=value`);
      // Which one was meant is unknowable; a silent "last wins" would run a study nobody asked for.
      if (Object.hasOwn(values, key))
        throw new PollerSpecError(`'${key}' is given twice in '${spec}': expected each parameter once`);
      values[key] = value;
    }
  }
  return { name, values };
}

/** Validates a poller name and raw params (strings or numbers), filling defaults. */
export function resolvePoller(
  name: string,
  raw: Readonly<Record<string, unknown>>,
  where = name,
): PollerChoice {
  const entry = POLLERS[name];
  if (entry === undefined)
    throw new PollerSpecError(
      `unknown poller '${name}' in ${where}${didYouMean(name, Object.keys(POLLERS))}: expected one of ${Object.keys(POLLERS).join(', ')} (a poller of your own is registered by registerPoller, in a module given to sim --import)`,
    );
  const params: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(raw)) {
    if (!(key in entry.params)) {
      const known = Object.keys(entry.params);
      throw new PollerSpecError(
        `${name} has no parameter '${key}' (in ${where})${didYouMean(key, known)}; ${known.length ? `expected ${known.join(', ')}` : 'it takes none'}`,
      );
    }
  }
  for (const [key, spec] of Object.entries(entry.params)) {
    const value = raw[key];
    params[key] = value === undefined ? spec.default : parseParam(name, key, spec, value, where);
  }
  const problem = entry.check?.(params);
  if (problem !== undefined)
    throw new PollerSpecError(`${name} in ${where}: ${problem}`, { acrossParams: true });
  return { name, params };
}

function parseParam(
  poller: string,
  key: string,
  spec: ParamSpec,
  value: unknown,
  where: string,
): string | number {
  const text = String(value).trim();
  const fail = (expected: string, hint = ''): never => {
    throw new PollerSpecError(`${poller}.${key} in ${where}: expected ${expected}; got '${text}'${hint}`);
  };
  switch (spec.kind) {
    case 'duration': {
      const ms = typeof value === 'number' ? value : parseHumanDuration(text);
      return ms === undefined || !Number.isFinite(ms) || ms < 0
        ? fail('a duration such as 10s or 500ms', unitHint(text))
        : ms;
    }
    case 'number': {
      const n = Number(text);
      return text === '' || !Number.isFinite(n) || n < spec.min || n > spec.max
        ? fail(`a number from ${spec.min} to ${spec.max}`)
        : n;
    }
    case 'int': {
      const n = Number(text);
      return !/^\d+$/.test(text) || n < spec.min ? fail(`an integer ≥ ${spec.min}`) : n;
    }
    case 'enum':
      return spec.values.includes(text) ? text : fail(`one of ${spec.values.join(', ')}`);
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/**
 * The first poller that repeats an earlier one (the same spec once defaults are filled), with what to
 * tell the user, or undefined. On one seed a repeat gives the same figures, so it only doubles a row.
 */
export function repeatedPoller(
  choices: readonly PollerChoice[],
): { readonly index: number; readonly message: string } | undefined {
  const seen = new Set<string>();
  for (const [index, choice] of choices.entries()) {
    const spec = formatPollerChoice(choice);
    if (seen.has(spec))
      return {
        index,
        message: `'${spec}' is listed twice: the same poller on the same seed gives the same figures`,
      };
    seen.add(spec);
  }
  return undefined;
}

/**
 * `fixed:interval=10s,gap=20s` from a choice: the parameters that differ from their defaults, plus the
 * poller's main parameter whenever any is given (or always, with `showMain`) and those named in `show`
 * even at their defaults (a `--tune` row of `gap` at 0 s says so), durations in their shortest form.
 */
export function formatPollerChoice(
  choice: PollerChoice,
  options: { readonly showMain?: boolean; readonly show?: readonly string[] } = {},
): string {
  const entry = POLLERS[choice.name];
  const main = entry?.main;
  // Printed for its own sake: not at its default, or asked for.
  const told = ([key, value]: [string, unknown]) =>
    entry?.params[key]?.default !== value || options.show?.includes(key) === true;
  const changed = options.showMain === true || Object.entries(choice.params).some(told);
  const parts = Object.entries(choice.params)
    .filter((pair) => (changed && pair[0] === main) || told(pair))
    .map(
      ([key, value]) =>
        `${key}=${entry?.params[key]?.kind === 'duration' ? formatMs(value as number) : value}`,
    );
  return parts.length === 0 ? choice.name : `${choice.name}:${parts.join(',')}`;
}

/**
 * The labels of a study's pollers, in order. As {@link formatPollerChoice}, except that a poller listed
 * more than once shows its main parameter on every row: next to `fixed:interval=2s`, a plain `fixed`
 * would not say which interval it ran.
 */
export function formatPollerChoices(choices: readonly PollerChoice[]): string[] {
  const count = new Map<string, number>();
  for (const { name } of choices) count.set(name, (count.get(name) ?? 0) + 1);
  return choices.map((choice) => formatPollerChoice(choice, { showMain: (count.get(choice.name) ?? 0) > 1 }));
}

/** A duration in its shortest exact form, as a poller spec writes it: `10s`, `1m`, `250ms`. */
export function formatMs(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
