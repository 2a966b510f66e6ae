import { durationFlag } from '../src/cli/mock-flags.ts';
import { parseFlags, UsageError } from '../src/cli/usage-error.ts';
import { pythonPoller } from './config-check.ts';
import type { SimulationConfig } from './engine.ts';
import { configFromArgs, optionWords, SIM_OPTIONS, studyArgs } from './sim-flags.ts';

// `live` runs a `sim` study against a real server: it takes the study's flags as `sim` does, and
// leaves out those about several runs, output files and modules of pollers.
const NOT_LIVE = [
  'seeds',
  'tune',
  'tune-grid',
  'held-out',
  'threads',
  'out',
  'trace',
  'import',
  'stall-timeout',
] as const;
const STUDY_OPTIONS = Object.fromEntries(
  Object.entries(SIM_OPTIONS).filter(([name]) => !(NOT_LIVE as readonly string[]).includes(name)),
) as Omit<typeof SIM_OPTIONS, (typeof NOT_LIVE)[number]>;

/** The flags of `live`, for `node:util` parseArgs: the study's, and where and how to run it. */
export const LIVE_OPTIONS = {
  ...STUDY_OPTIONS,
  'base-url': { type: 'string' },
  pause: { type: 'string' },
  yes: { type: 'boolean' },
} as const;

/** What `live` was asked to do, once its flags are checked. */
export interface LiveCommand {
  /** The study: its workload, pollers and seed run live; all of it is simulated beside them. */
  readonly config: SimulationConfig;
  /** Where the requests go. @defaultValue `OPENAI_BASE_URL`, else the SDK's (the real API) */
  readonly baseURL: string | undefined;
  /** Print only the JSON document. */
  readonly json: boolean;
  /** Between two pollers, so that each starts on a full budget. @unit milliseconds */
  readonly pauseMs: number;
  /** Said yes to a run against a server that is not on this machine (it is billed). */
  readonly yes: boolean;
  /** The study's flags, as `sim` takes them (`--seed` left out): `npm run sim -- ARGS` simulates it. */
  readonly studyArgs: readonly string[];
}

/** `live --help`. */
export const liveHelp = (): string => `Usage: npm run live -- [options]

Runs a study's workload for real, through the real openai SDK, against the OpenAI API (or any
server, such as npm run serve), with each poller in turn; measures each run from its own traffic as
the simulator measures a simulated one; and prints both, row by row. Jobs are created and billed.
The Assistants flow (--tier free's seed study) runs only against a server on this machine: OpenAI
shut that API down on 2026-08-26; add --workload responses to run its successor.

A run cut short, by --horizon or by Ctrl-C, cancels the jobs it started and had not seen end. Ctrl-C
also skips the pollers not yet run, prints what was measured, and exits 130; press it again to quit.

Where:
  --base-url URL               the API to run against (default: OPENAI_BASE_URL, else the real API);
                               the key is OPENAI_API_KEY (any key for a server on this machine)
  --yes                        run against a server that is not on this machine: the jobs are billed
  --pause DURATION             wait between two pollers, so each starts on a full budget (default 60s)

Study (as for npm run sim; see npm run sim -- --help):
  --scenario NAME|FILE, --tier, --model, --workload, --jobs, --workers, --clients, --arrival,
  --prompt-chars, --poller SPEC (repeatable; not oracle), --seed N (the pollers' jitter, and the
  simulation's seed), --horizon DURATION (how long the live run waits for its jobs), --transport, and
  the mock's flags (they shape only the simulation beside it)

Output:
  --json                       print only a JSON document (schema in the README)
  -h, --help                   this text
  --version                    print pollbench's version`;

/**
 * The command line, checked. `help` and `version` when asked for.
 * @throws {@link UsageError} with the message the command prints (exit 2)
 */
export function parseLiveArgs(args: readonly string[]): LiveCommand | 'help' | 'version' {
  const { values, tokens } = parseFlags({
    args: [...args],
    options: LIVE_OPTIONS,
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  // Its own flags, and --json, which is the command's output and not the study's.
  const study = optionWords(tokens, new Set(['base-url', 'pause', 'yes', 'json']));
  const config = configFromArgs(study);
  if (config.pollers.some((p) => p.name === 'oracle') && values.poller !== undefined)
    throw new UsageError(
      '--poller oracle: the oracle knows when each job ends, which only a simulation can tell; it is simulated beside the others anyway',
    );
  const python = pythonPoller(config.pollers);
  if (python !== undefined)
    throw new UsageError(
      `${python.name} has lang=${String(python.params?.lang)}, which only simulations emulate: a live run sends its requests with the openai SDK for Node`,
    );
  const baseURL = values['base-url'];
  if (baseURL !== undefined && !URL.canParse(baseURL))
    throw new UsageError(`--base-url: expected a URL such as http://127.0.0.1:4010/v1; got '${baseURL}'`);
  const pauseMs = values.pause === undefined ? 60_000 : durationFlag('pause', values.pause);
  return {
    config,
    baseURL,
    json: values.json === true,
    pauseMs,
    yes: values.yes === true,
    studyArgs: studyArgs(study),
  };
}

/** Whether `url` is a server on this machine (a mock, not a billed API). */
export function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}
