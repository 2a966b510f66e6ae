import { formatSeedList } from '../reports/format.ts';
import { checkOutFlag, ensureOutputDir, OutputDirError } from '../reports/output-dir.ts';
import type { TuneAxis } from '../reports/tuning.ts';
import {
  durationFlag,
  intFlag,
  MOCK_FLAGS,
  mergeMockOptions,
  mockFlagsHelp,
  mockOptionsFromFlags,
} from '../src/cli/mock-flags.ts';
import { parseFlags, UsageError } from '../src/cli/usage-error.ts';
import { SDK_LANGS } from '../src/client/sdk-rules.ts';
import { didYouMean } from '../src/core/did-you-mean.ts';
import {
  formatMs,
  POLLERS,
  PollerSpecError,
  parsePollerSpec,
  repeatedPoller,
} from '../src/pollers/registry.ts';
import { TIER_TABLES, type Tier } from '../src/server/limits/tier-tables.ts';
import { langTransportProblem } from './config-check.ts';
import type { SimulationConfig } from './engine.ts';
import { tierPreset } from './presets.ts';
import {
  bundledScenarioNames,
  HORIZON_EXPECTED,
  loadScenario,
  loadScenarioStudy,
  type ScenarioStudy,
} from './scenario-file.ts';
import { parseSeedList } from './seed-list.ts';
import { MAX_THREADS } from './seed-study.ts';
import { parseTierList } from './tier-list.ts';
import {
  DEFAULT_TUNE_SEEDS,
  parseTuneSpec,
  searchedHeldOut,
  settingChoice,
  type TuneTarget,
  tuneAxes,
  tuneGridPoints,
  tuneGridProblem,
} from './tune-spec.ts';
import { type Arrival, FLOW_NAMES, type FlowName, workloadSizeProblem } from './workloads/workload.ts';

const HELP_WIDTH = 104;
const pollerHelp = () =>
  Object.entries(POLLERS)
    .map(([name, entry]) => {
      const params = Object.entries(entry.params).map(
        ([key, spec]) => `${key}=${spec.kind === 'duration' ? formatMs(spec.default) : spec.default}`,
      );
      const head = `  ${name.padEnd(9)} ${entry.summary}`;
      if (params.length === 0) return head;
      // Wrapped, the continuation under the first parameter.
      const first = `  ${' '.repeat(9)} params: `;
      return [head, ...wrap(params.join(', '), first, ' '.repeat(first.length))].join('\n');
    })
    .join('\n');

/** Words wrapped to {@link HELP_WIDTH}, every line after the first indented by `indent`. */
function wrap(text: string, first: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > HELP_WIDTH && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines;
}

/**
 * Each parameter of the pollers named by `specs` (`--poller` values), explained: what `--poller NAME
 * --help` adds to the help. An unknown name is said so.
 */
function pollerParamsHelp(specs: readonly string[]): string {
  const names = [...new Set(specs.map((spec) => spec.split(':')[0]?.trim() ?? ''))];
  return names
    .map((name) => {
      const entry = POLLERS[name];
      if (entry === undefined) return `No poller named '${name}'${didYouMean(name, Object.keys(POLLERS))}.`;
      const params = Object.entries(entry.params);
      if (params.length === 0) return `${name} takes no parameters.`;
      const lines = [`Parameters of ${name} (--poller ${name}:key=value,…):`];
      for (const [key, spec] of params) {
        const value = spec.kind === 'duration' ? formatMs(spec.default) : String(spec.default);
        const range =
          spec.kind === 'number'
            ? ` (${spec.min}–${spec.max})`
            : spec.kind === 'int'
              ? ` (≥ ${spec.min})`
              : spec.kind === 'enum'
                ? ` (${spec.values.join(' | ')})`
                : ' (a duration)';
        lines.push(...wrap(`${spec.doc}${range}`, `  ${`${key}=${value}`.padEnd(20)} `, ' '.repeat(23)));
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

/**
 * `sim --help`: a function, so that the pollers `--import` registered are listed. With `pollers` (the
 * `--poller` values given with `--help`), each of their parameters explained, after the usage.
 */
export const simHelp = (pollers: readonly string[] = []): string =>
  pollers.length === 0 ? usage() : `${usage()}\n\n${pollerParamsHelp(pollers)}`;

const usage = (): string => `Usage: npm run sim -- [options]

Simulates polling strategies against the mock OpenAI API in virtual time and prints one row per
poller. With no options: the seed article's program on the free tier (--tier free).

Study:
  --scenario NAME|FILE         a scenario file (bundled: scenarios/*.yaml); the flags below override it.
                               A file may hold a study (its seeds, tune, tuneGrid, heldOut: as the
                               flags of those names; a tier naming several, as --tier; bundled:
                               studies/NAME); --seed N runs one seed of it
  --tier free|1|2|3|4|5        usage tier (default free: scenarios/seed-article.yaml; 1–5: tier-N.yaml,
                               Responses background sized so the tier's RPM binds). Several tiers
                               (free,1,2 or 1-5 or all) run the study at each and print a row per
                               poller, a column per tier: each tier's own study, or --scenario's at each
  --model MODEL                model whose limits apply (default gpt-3.5-turbo on free, gpt-4.1 on 1–5)
  --workload FLOW              ${FLOW_NAMES.join(' | ')}
  --jobs N                     jobs per client
  --workers N                  jobs each client runs at once
  --clients N                  uncoordinated clients (processes) sharing the organization's limits
                               (--poller adaptive:clients=N tells each copy of adaptive how many)
  --arrival A                  all | gap:DURATION (e.g. gap:20s) | poisson:MEAN (e.g. poisson:30s)
  --prompt-chars N             characters in each job's prompt (its tokens: N/4, OpenAI's rule of thumb)
  --poller SPEC                a poller, repeatable: NAME or NAME:key=value,… (e.g. fixed:interval=10s);
                               give one poller several times to compare its settings
  --lang node|python|python-2.51
                               whose SDK every poller's client is, for the pollers that take lang (all
                               but oracle): python emulates the Python SDK's retries and poll helpers,
                               python-2.51 those before 2.52 (fast transport only); a --poller spec
                               that names its own is refused
  --import FILE                load a module that registers pollers of your own (registerPoller) first,
                               so --poller and scenario files can name them; repeatable. Their runs go
                               to a worker thread, stopped if a poller holds time still (next flag)
  --stall-timeout DURATION     with --import: real time a poller may hold the simulation still (no
                               timer, no request) before it is stopped and named (default 20s)
  --seed N                     root seed (default 1); the same seed gives byte-identical results
  --seeds LIST                 run the study once per seed (e.g. 1-10, or 1,4,9) and print each
                               poller's figures across them: runs with 429s, means, medians, worst
  --tune NAME:key=LOW..HIGH,…  search one parameter of a poller for the setting that finishes soonest
                               without a 429 on every seed of --seeds (default 1-10): a grid over the
                               range, then halving the gaps beside the best and at the edge of the 429s;
                               the best is then run on as many seeds the search did not see. --poller
                               rows run beside it. Two ranges (fixed:interval=1s..60s,gap=0s..60s)
                               or three search them together: a grid over every combination, then
                               one parameter at a time, then along the edge of the 429s where the
                               best sits on it. Beside a range, a parameter with named values may
                               list them, 'backoff:base=500ms..10s,jitter=full|equal' (quoted), or
                               jitter=* for all: each is on the grid and tried with the best others.
                               With several tiers: a search at each, and a row per tier with its best
  --tune-grid N                with --tune: settings on its first grid, spread over the range (default
                               8, at most 64; with two ranges, a side of it: default and most 8, 64
                               settings; with three, default 6, at most 8); more find a narrow good
                               region the default grid misses
  --held-out LIST|none         with --tune: the seeds the best setting is checked on (default as many as
                               --seeds, after its largest); none of them may be among --seeds
  --threads N|auto             threads a --seeds study runs on, at most 64 (default auto: one per core
                               when the seeds are long enough to be worth it); results do not depend on it
  --transport fast|sdk         fast: direct calls to the mock (default); sdk: the real openai SDK
  --horizon DURATION           virtual time after which unfinished jobs count as abandoned (default 6h)
  --json                       print only the JSON summary (schema in the README)
  --out DIR                    also write summary.json, report.md, report.html and PNG charts to DIR
                               (with --seeds: seeds.json, seeds.md, seeds.html and seeds-efficiency.png;
                               with --tune, tuning-curve.png too, or tuning-map.png for two
                               parameters or three; with several tiers: tiers.json, tiers.md,
                               tiers.html, two charts (with --tune, the efficiency and one of each
                               tuned range's best by tier), and each tier's own report in tier-T/)
  --trace                      with --out: also write trace.jsonl, one line per request
  -h, --help                   this text; with --poller NAME, also each parameter of NAME explained
  --version                    print pollbench's version

Pollers:
${pollerHelp()}

${mockFlagsHelp(['tier', 'seed', 'api-key'])}`;

function parseArrival(text: string): Arrival {
  if (text === 'all' || text === 'all-at-once') return { kind: 'all-at-once' };
  const [kind, value] = text.split(':');
  if ((kind === 'gap' || kind === 'poisson') && value !== undefined) {
    const ms = durationFlag('arrival', value);
    return kind === 'gap' ? { kind: 'fixed-gap', gapMs: ms } : { kind: 'poisson', meanGapMs: ms };
  }
  throw new UsageError(`--arrival: expected all, gap:DURATION or poisson:DURATION; got '${text}'`);
}

/** The flags of `sim`, for `node:util` parseArgs. */
export const SIM_OPTIONS = {
  ...MOCK_FLAGS,
  model: { type: 'string' },
  workload: { type: 'string' },
  jobs: { type: 'string' },
  workers: { type: 'string' },
  clients: { type: 'string' },
  arrival: { type: 'string' },
  'prompt-chars': { type: 'string' },
  poller: { type: 'string', multiple: true },
  lang: { type: 'string' },
  import: { type: 'string', multiple: true },
  'stall-timeout': { type: 'string' },
  transport: { type: 'string' },
  horizon: { type: 'string' },
  json: { type: 'boolean' },
  scenario: { type: 'string' },
  out: { type: 'string' },
  trace: { type: 'boolean' },
  seeds: { type: 'string' },
  tune: { type: 'string' },
  'tune-grid': { type: 'string' },
  'held-out': { type: 'string' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** `--tune` and the flags that say how it searches. */
const TUNE_FLAGS = ['tune', 'tune-grid', 'held-out'] as const;

// Flags a re-run of one seed leaves out: where and how to print, which seeds, and the seed itself.
// `--import` and `--stall-timeout` stay: the study may name pollers a module registers, and a poller
// slow enough to need a longer watch needs it for one seed too.
const NOT_REPLAYED = new Set(['json', 'out', 'trace', 'seeds', 'threads', 'help', 'version', 'seed']);

/**
 * The flags of a `sim` command line that define its study, in the order given, as `--name value`
 * words: everything but `--seed`, `--seeds` and the flags about output and threads. With `--seed N`
 * added they run one seed of it again (see `replayCommand`). `--import` and `--stall-timeout` stay (see
 * above).
 * @throws {@link UsageError}, as {@link parseSimFlags} does
 */
export function studyArgs(args: readonly string[]): string[] {
  return optionWords(flagTokens(args), NOT_REPLAYED);
}

/** A `sim` command line as `parseArgs` tokens, in the order given. @throws {@link UsageError} */
function flagTokens(args: readonly string[]) {
  return parseFlags({
    args: [...args],
    options: SIM_OPTIONS,
    strict: true,
    allowPositionals: false,
    tokens: true,
  }).tokens;
}

/**
 * A study's flags (as {@link studyArgs} gives them) with its pollers named row by row: `--tune`,
 * `--poller` and `--lang` replaced by one `--poller` per spec in `rows` (each spec carries its own
 * `lang`, which `--lang` beside it would refuse). What a `--tune` study's one seed is re-run with.
 */
export function rowsStudyArgs(args: readonly string[], rows: readonly string[]): string[] {
  const rest = optionWords(flagTokens(args), new Set([...NOT_REPLAYED, ...TUNE_FLAGS, 'poller', 'lang']));
  return [...rest, ...rows.flatMap((spec) => ['--poller', spec])];
}

/** A parsed command line's options (`parseArgs` tokens) as `--name value` words again, but those in `leave`. */
export function optionWords(
  tokens: readonly { kind: string; name?: string; value?: string | undefined }[],
  leave: ReadonlySet<string>,
): string[] {
  return tokens.flatMap((token) =>
    token.kind !== 'option' || token.name === undefined || leave.has(token.name)
      ? []
      : [`--${token.name}`, ...(token.value === undefined ? [] : [token.value])],
  );
}

/**
 * The command line, parsed (not yet checked beyond the flags' names and kinds).
 * @throws {@link UsageError} on an unknown flag (naming the nearest known one) or a missing value
 */
export function parseSimFlags(args: readonly string[]) {
  return parseFlags({ args: [...args], options: SIM_OPTIONS, strict: true, allowPositionals: false }).values;
}

/**
 * Turns parsed flags into a simulation config, once the `--import` modules are loaded (their pollers
 * are validated here). Throws {@link UsageError} on bad input.
 */
export function configFromFlags(values: SimFlags):
  | {
      config: SimulationConfig;
      json: boolean;
      out: string | undefined;
      /** Set by `--seeds` (and by `--tune`, 1–10 unless given): run once per seed, not once at `config.seed`. */
      seeds: number[] | undefined;
      /** Set by `--tune`: search this parameter over `seeds`; `config.pollers` run beside it. */
      tune: TuneTarget | undefined;
      /** `--tune-grid` and `--held-out`: how `--tune` searches (see `TuneOptions`); unset, its defaults. */
      tuneOptions: { gridPoints?: number; heldOutSeeds?: number[] };
      /** `--threads`: threads a `--seeds` study runs on. */
      threads: number | 'auto';
      /** `--stall-timeout`: see `DEFAULT_STALL_MS`. @unit milliseconds */
      stallMs: number | undefined;
    }
  | 'help'
  | 'version' {
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (values['api-key'] !== undefined)
    throw new UsageError(
      '--api-key: the simulated clients authenticate as sk-client-N, so a key list would refuse them all; it is an option of `npm run serve`',
    );
  if (values.trace && values.out === undefined)
    throw new UsageError('--trace writes trace.jsonl into the --out directory: give --out DIR too');
  if (values.seeds !== undefined && values.seed !== undefined)
    throw new UsageError('--seed and --seeds: give one seed or a list, not both');
  if (values.seeds !== undefined && values.trace)
    throw new UsageError('--trace records every request of one run: use --seed N, not --seeds');
  if (values.tune !== undefined && values.seed !== undefined)
    throw new UsageError(
      '--seed and --tune: a setting is tuned over several seeds; give them with --seeds LIST (default 1-10)',
    );
  if (values.tune !== undefined && values.trace)
    throw new UsageError('--trace records every request of one run: it does not go with --tune');
  if (values['stall-timeout'] !== undefined && values.import === undefined)
    throw new UsageError(
      '--stall-timeout watches the pollers of --import modules (built-in ones always yield): give --import FILE too',
    );
  const stallMs = values['stall-timeout'] === undefined ? undefined : stallFlag(values['stall-timeout']);
  const threads =
    values.threads === undefined || values.threads === 'auto'
      ? 'auto'
      : intFlag('threads', values.threads, 1);
  // A typo must not exhaust memory.
  if (threads !== 'auto' && threads > MAX_THREADS)
    throw new UsageError(
      `--threads: at most ${MAX_THREADS}, each holds a simulator of its own; got ${threads}`,
    );
  const tier = values.tier === undefined ? undefined : oneTier(values.tier);
  if (values.scenario?.trim() === '')
    throw new UsageError(
      `--scenario: expected a bundled scenario's name (${bundledScenarioNames().join(', ')}) or a file; got '${values.scenario}'`,
    );
  // A scenario (or the tier's bundled one) is the base; every flag given overrides its field.
  const loaded =
    values.scenario !== undefined
      ? loadScenarioStudy(values.scenario)
      : { config: tierPreset(tier ?? (values.limits === undefined ? 'free' : '1')), study: {} };
  const base = loaded.config;
  // The file's study (its seeds, its search), unless --seed asks for one run of it. Each flag replaces
  // the field of its name, and --tune the file's whole search (its grid and held-out seeds with it).
  const fileStudy: ScenarioStudy = values.seed === undefined ? loaded.study : {};
  const fileTune = values.tune === undefined ? fileStudy.tune : undefined;
  const fileSeeds = values.seeds === undefined ? fileStudy.seeds : undefined;
  const ofFile = (field: string) => `the scenario's ${field} (${values.scenario})`;
  if (values.trace && (fileSeeds !== undefined || fileTune !== undefined))
    throw new UsageError(
      `--trace records every request of one run, and ${ofFile(fileTune === undefined ? 'seeds' : 'tune')} makes a study of several: add --seed N to trace one seed of it`,
    );
  const howToTune = (['tune-grid', 'held-out'] as const).find((flag) => values[flag] !== undefined);
  if (howToTune !== undefined && values.tune === undefined && fileTune === undefined)
    throw new UsageError(`--${howToTune} says how --tune searches: give --tune NAME:key=LOW..HIGH too`);
  const seeds =
    values.seeds !== undefined
      ? parseSeedList(values.seeds)
      : fileSeeds !== undefined
        ? [...fileSeeds]
        : values.tune === undefined && fileTune === undefined
          ? undefined
          : [...DEFAULT_TUNE_SEEDS];
  if (values.threads !== undefined && seeds === undefined)
    throw new UsageError(
      '--threads spreads the seeds of a --seeds study over threads: give --seeds LIST too',
    );
  const seed = values.seed === undefined ? base.seed : intFlag('seed', values.seed, 0);
  const { tier: _tier, seed: _seed, ...mockFlags } = values;
  const flagMock = mockOptionsFromFlags(mockFlags);
  const mock = mergeMockOptions(base.mock, { ...flagMock, ...(tier === undefined ? {} : { tier }) });
  const table = mock.limits ?? TIER_TABLES[mock.tier ?? 'free'];
  const model =
    values.model ?? (values.limits === undefined ? base.workload.model : Object.keys(table.models)[0]);
  if (model === undefined) throw new UsageError(`--limits: ${table.name} lists no models`);
  const flow = values.workload ?? base.workload.flow;
  if (!(FLOW_NAMES as readonly string[]).includes(flow))
    throw new UsageError(`--workload: expected one of ${FLOW_NAMES.join(', ')}; got '${flow}'`);
  const transport = values.transport ?? 'fast';
  if (transport !== 'fast' && transport !== 'sdk')
    throw new UsageError(`--transport: expected fast or sdk; got '${transport}'`);
  // With --tune, the scenario's pollers give way to the settings tried, and --poller adds rows beside
  // them; a scenario's own tune runs its own pollers beside it.
  let pollers: SimulationConfig['pollers'] = values.tune === undefined ? base.pollers : [];
  try {
    if (values.poller !== undefined) pollers = values.poller.map(parsePollerSpec);
    const repeat = repeatedPoller(pollers);
    if (repeat !== undefined) throw new UsageError(`--poller: ${repeat.message}`);
  } catch (error) {
    if (error instanceof PollerSpecError) throw new UsageError(`--poller: ${error.message}`);
    throw error;
  }
  let tune = values.tune === undefined ? fileTune?.target : tuneFlag(values.tune);
  if (values.lang !== undefined) {
    const specs = [
      ...(values.poller ?? []).map((spec) => `--poller ${spec}`),
      ...(values.tune === undefined ? [] : [`--tune ${values.tune}`]),
      ...(fileTune === undefined ? [] : [`${ofFile('tune')} ${fileTune.spec}`]),
    ];
    pollers = withLang(pollers, values.lang, specs);
    if (tune !== undefined && POLLERS[tune.poller]?.params.lang !== undefined)
      tune = { ...tune, rest: { ...tune.rest, lang: values.lang } };
  }
  // Every named value a search lists is run: a lang=* search has python among them.
  const searched = tune;
  const tuned =
    searched === undefined ? [] : tuneGridPoints(searched, 2).map((point) => settingChoice(searched, point));
  const langProblem = langTransportProblem([...pollers, ...tuned], transport);
  if (langProblem !== undefined) throw new UsageError(`--transport sdk: ${langProblem}`);
  const config: SimulationConfig = {
    ...base,
    scenario: values.limits === undefined ? base.scenario : `${base.scenario}-custom-limits`,
    // The scenario's own words describe its own figures ("10 files"); flags that change them say so.
    description: describedWith(base.description, values, values.scenario !== undefined),
    mock,
    seed,
    transport,
    pollers,
    trace: values.trace === true,
    horizonMs: values.horizon === undefined ? base.horizonMs : horizonFlag(values.horizon),
    workload: {
      ...base.workload,
      model,
      flow: flow as FlowName,
      ...(values.jobs === undefined ? {} : { jobs: intFlag('jobs', values.jobs, 1) }),
      ...(values.workers === undefined ? {} : { workers: intFlag('workers', values.workers, 1) }),
      ...(values.clients === undefined ? {} : { clients: intFlag('clients', values.clients, 1) }),
      ...(values.arrival === undefined ? {} : { arrival: parseArrival(values.arrival) }),
      ...(values['prompt-chars'] === undefined
        ? {}
        : { promptChars: intFlag('prompt-chars', values['prompt-chars'], 1) }),
    },
  };
  const tooBig = workloadSizeProblem(config.workload);
  if (tooBig !== undefined) {
    const [field, message] = tooBig;
    const flags =
      field === 'jobs' ? '--jobs × --clients' : field === 'clients' ? '--clients' : '--prompt-chars';
    throw new UsageError(`${flags}: ${message}`);
  }
  const known = Object.keys(table.models);
  const limits = known.find((m) => model === m || model.startsWith(`${m}-`));
  if (limits === undefined)
    throw new UsageError(`--model: ${model} has no limits in ${table.name} (it has: ${known.join(', ')})`);
  // Before the run, so that a directory that cannot be written costs nothing.
  if (values.out !== undefined) {
    checkOutFlag(values.out);
    try {
      ensureOutputDir(values.out);
    } catch (error) {
      throw error instanceof OutputDirError ? new UsageError(`--out ${error.message}`) : error;
    }
  }
  const tuneOptions =
    seeds === undefined || tune === undefined
      ? {}
      : tuneOptionsOf(values, seeds, tuneAxes(tune), fileTune === undefined ? {} : fileStudy, ofFile);
  return { config, json: values.json === true, out: values.out, seeds, tune, tuneOptions, threads, stallMs };
}

/**
 * `--tier` as one study takes it: one tier. A list is the command's to run, one study per tier
 * ({@link perTierCommands}).
 */
function oneTier(text: string): Tier {
  const tiers = parseTierList(text);
  if (tiers.length > 1)
    throw new UsageError(
      `--tier ${text}: names ${tiers.length} tiers, and one study runs at one; the sim command runs a study per tier`,
    );
  return tiers[0] as Tier;
}

/**
 * With `--tier` naming several tiers (`free,1,2`, `1-5`, `all`), or with no `--tier` a `--scenario` whose
 * `tier` names several: the study at each, as {@link configFromFlags} makes it with that tier alone (the
 * tier's bundled study, or `--scenario`'s, with every other flag applied), all checked before any runs.
 * Undefined when they name one tier or none, with `--limits` in place of a scenario's tiers, and with
 * `--help` or `--version`.
 * @throws {@link UsageError} as configFromFlags does, and for `--tier` with `--limits`, which would
 * replace every tier's limits; and for a scenario file that is wrong, as {@link loadScenarioStudy} does
 */
export function perTierCommands(values: SimFlags):
  | {
      perTier: { tier: Tier; command: SimCommand }[];
      /**
       * With `--scenario`, which every tier runs: its description and the flags that change it, but
       * `--tier`. Null when each tier runs its own bundled study.
       */
      description: string | null;
    }
  | undefined {
  if (values.help || values.version) return undefined;
  // A scenario's tier naming several is a study at each, as --tier is; --tier or --limits replaces it.
  const fileTiers =
    values.tier === undefined && values.limits === undefined && values.scenario?.trim()
      ? loadScenarioStudy(values.scenario).study.tiers
      : undefined;
  if (values.tier === undefined && fileTiers === undefined) return undefined;
  const tiers = values.tier === undefined ? [...(fileTiers ?? [])] : parseTierList(values.tier);
  if (tiers.length < 2) return undefined;
  // Each tier would run with the file's limits, not its own: columns named for tiers they are not.
  if (values.limits !== undefined)
    throw new UsageError(
      `--limits replaces a tier's published limits, so --tier ${values.tier} would compare one set of limits ${tiers.length} times: give one --tier, or leave --limits out`,
    );
  const perTier = tiers.map((tier) => ({
    tier,
    command: configFromFlags({ ...values, tier }) as SimCommand,
  }));
  const description =
    values.scenario === undefined
      ? null
      : describedWith(loadScenario(values.scenario).description, withoutTier(values), true);
  return { perTier, description };
}

function withoutTier({ tier: _tier, ...rest }: SimFlags): SimFlags {
  return rest;
}

/**
 * A study's flags (as {@link studyArgs} gives them) at one tier: `--tier` naming that tier alone, last.
 * What each tier's own document re-runs it with.
 */
export function tierStudyArgs(args: readonly string[], tier: Tier): string[] {
  return [...optionWords(flagTokens(args), new Set(['tier'])), '--tier', tier];
}

/**
 * `--tune-grid` and `--held-out`, checked against the seeds searched and the parameters tuned; where a flag is
 * not given, the field of the scenario's own search (`file`, already checked against its own seeds), if any.
 */
function tuneOptionsOf(
  values: SimFlags,
  seeds: readonly number[],
  axes: readonly TuneAxis[],
  file: Pick<ScenarioStudy, 'gridPoints' | 'heldOutSeeds'>,
  ofFile: (field: string) => string,
): SimCommand['tuneOptions'] {
  const options: { gridPoints?: number; heldOutSeeds?: number[] } = {};
  if (values['tune-grid'] !== undefined) {
    options.gridPoints = intFlag('tune-grid', values['tune-grid'], 2);
    const problem = tuneGridProblem(options.gridPoints, axes);
    if (problem !== undefined) throw new UsageError(`--tune-grid: ${problem}`);
  } else if (file.gridPoints !== undefined) options.gridPoints = file.gridPoints;
  const heldOut = values['held-out'];
  if (heldOut !== undefined)
    options.heldOutSeeds = heldOut.trim() === 'none' ? [] : parseSeedList(heldOut, 'held-out');
  else if (file.heldOutSeeds !== undefined) options.heldOutSeeds = [...file.heldOutSeeds];
  const seen = searchedHeldOut(seeds, options.heldOutSeeds ?? []);
  if (seen !== undefined)
    throw new UsageError(
      `${heldOut === undefined ? ofFile('heldOut') : '--held-out'}: seed ${seen} is one the search sees (${values.seeds === undefined ? 'seeds' : '--seeds'} ${formatSeedList(seeds)}): held-out seeds must be others`,
    );
  return options;
}

/** `--tune`, parsed and checked; its errors as the command prints them. */
function tuneFlag(spec: string): TuneTarget {
  try {
    return parseTuneSpec(spec);
  } catch (error) {
    if (error instanceof PollerSpecError) throw new UsageError(`--tune: ${error.message}`);
    throw error;
  }
}

/**
 * `--lang`: `lang` set on every poller that takes it. A spec that names its own is refused rather than
 * overridden (its `lang=node` cannot be told from the default once parsed).
 */
function withLang(
  pollers: SimulationConfig['pollers'],
  lang: string,
  /** The flags that name pollers, as written: `--poller fixed:lang=node`. */
  specs: readonly string[],
): SimulationConfig['pollers'] {
  if (!(SDK_LANGS as readonly string[]).includes(lang))
    throw new UsageError(`--lang: expected one of ${SDK_LANGS.join(', ')}; got '${lang}'`);
  const named = specs.find((spec) => /[:,]\s*lang\s*=/.test(spec));
  if (named !== undefined)
    throw new UsageError(`--lang ${lang}: ${named} names its own lang; give one or the other`);
  return pollers.map((choice) =>
    POLLERS[choice.name]?.params.lang === undefined
      ? choice
      : { ...choice, params: { ...choice.params, lang } },
  );
}

/** Flags that do not change what a scenario's description describes: output, seeds, pollers, transport. */
const NOT_DESCRIBED = new Set([
  ...NOT_REPLAYED,
  'scenario',
  'import',
  'stall-timeout',
  'poller',
  ...TUNE_FLAGS,
  'lang',
  'transport',
]);

/** A scenario's own description, and the flags given that change its study (see {@link changedBy}). */
function describedWith(description: string, values: SimFlags, scenarioGiven: boolean): string {
  const changed = changedBy(values, scenarioGiven);
  return changed === '' ? description : `${description} Here with ${changed}.`;
}

/**
 * The flags given that change the scenario's study, as written (`--jobs 2, --workers 3`), or `''`.
 * `--tier` picks the scenario itself unless `--scenario` names one.
 */
function changedBy(values: SimFlags, scenarioGiven: boolean): string {
  const words: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (NOT_DESCRIBED.has(name) || (name === 'tier' && !scenarioGiven)) continue;
    for (const one of Array.isArray(value) ? value : [value])
      words.push(one === true ? `--${name}` : `--${name} ${String(one)}`);
  }
  return words.join(', ');
}

function stallFlag(value: string): number {
  const ms = durationFlag('stall-timeout', value);
  if (ms < 1000 || ms > 86_400_000)
    throw new UsageError(`--stall-timeout: expected a duration from 1s to 24h; got '${value}'`);
  return ms;
}

function horizonFlag(value: string): number {
  const ms = durationFlag('horizon', value);
  if (ms === 0) throw new UsageError(`--horizon: ${HORIZON_EXPECTED}; got '${value}'`);
  return ms;
}

/** What `sim` was asked to do, once its flags are checked. */
export type SimCommand = Exclude<ReturnType<typeof configFromFlags>, 'help' | 'version'>;

/** The parsed flags of `sim`. */
export type SimFlags = ReturnType<typeof parseSimFlags>;

// Flags that say where and how to print, or which modules to load: not part of one run's config.
const NOT_A_STUDY = [
  'json',
  'out',
  'trace',
  'seeds',
  ...TUNE_FLAGS,
  'threads',
  'import',
  'stall-timeout',
  'help',
  'version',
] as const;

/**
 * The simulation that `npm run sim -- ARGS` would run, as a config for {@link runSimulation}: the
 * scenario or tier preset, overridden by each flag given, checked as the command checks it.
 * A scenario file that holds a study (`seeds`, `tune`) gives its run at `--seed`, or else at its `seed`.
 * @param args the flags of one run, e.g. `['--tier', '1', '--jobs', '4', '--poller', 'adaptive']`;
 * those about output or several runs (`--json`, `--out`, `--trace`, `--seeds`, `--threads`, `--import`,
 * `--stall-timeout`, `--help`, `--version`) are refused. A poller of your own must be registered before the call.
 * @throws {@link UsageError} with the message the command prints (it would exit 2)
 */
export function configFromArgs(args: readonly string[]): SimulationConfig {
  const flags: SimFlags = parseSimFlags(args);
  const given = NOT_A_STUDY.find((flag) => flags[flag] !== undefined);
  if (given !== undefined)
    throw new UsageError(
      `--${given} is about the command's output or runs, not one simulation: configFromArgs takes the flags of the study`,
    );
  const parsed = configFromFlags(flags);
  // Unreachable: --help and --version were refused above.
  if (parsed === 'help' || parsed === 'version') throw new UsageError(`--${parsed} is not a study`);
  return parsed.config;
}
