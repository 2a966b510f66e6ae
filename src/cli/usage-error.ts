import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '../core/did-you-mean.ts';
import { InputFileError } from '../server/limits/limits-file.ts';
import { POLLBENCH_VERSION } from '../version.ts';

/** A mistake on the command line: reported as one message and exit code 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/**
 * Runs a command's `main`, turning user mistakes (bad flags, bad files) into a message on stderr and
 * exit code 2. Anything else is a bug and keeps its stack.
 */
export async function runCommand(name: string, main: () => Promise<void>): Promise<void> {
  // A reader that stops early (`sim --json | head`) closes the pipe. What is left to print has no one to
  // read it, which is no failure of the command: stop quietly, as a shell tool killed by SIGPIPE does,
  // rather than with Node's unhandled 'error' event and its stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  try {
    await main();
  } catch (error) {
    // A command's flags go through parseFlags, which turns parseArgs' errors into UsageErrors.
    if (error instanceof UsageError || error instanceof InputFileError) {
      process.stderr.write(`${name}: ${error.message}\nRun with --help for usage.\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

/**
 * Answers `--help` (the command's `help` text) or `--version` on stdout. Returns whether one was asked
 * for, in which case the command has nothing else to do.
 */
export function answerHelpOrVersion(asked: { help?: boolean; version?: boolean }, help: string): boolean {
  if (!asked.help && !asked.version) return false;
  process.stdout.write(`${asked.help ? asInvoked(help) : `pollbench ${POLLBENCH_VERSION}`}\n`);
  return true;
}

/**
 * The help as the user can type it: `npm run sim --` in a clone of the repository, `pollbench-sim`
 * where pollbench is installed and its bins were linked (there is no `sim` script in the user's
 * package.json). The bin's name is the one thing that tells the two apart.
 */
function asInvoked(help: string): string {
  if (!/^pollbench-(sim|serve|report|live)$/.test(basename(process.argv[1] ?? ''))) return help;
  return help.replace(/npm run (sim|serve|report|live) --/g, 'pollbench-$1');
}

function isParseArgsError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}

/**
 * node's `parseArgs` messages in the shape of the commands' own ("--flag: expected …; got …"): "Option
 * '--out <value>' argument missing" becomes "--out: expected a value; got none", a value that starts
 * with '-' is named in one line, and an unknown option loses the advice on positionals that start with
 * '-', which no command here takes.
 */
function parseArgsMessage(error: Error, known: readonly string[]): string {
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(error.message);
  if (missing !== null) return `${missing[1]}: expected a value; got none`;
  const ambiguous = /^Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(error.message);
  if (ambiguous !== null)
    return `${ambiguous[1]}: expected a value; got an argument starting with '-' (to give one, write ${ambiguous[1]}=VALUE)`;
  const switchValue = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(error.message);
  if (switchValue !== null) return `${switchValue[1]}: expected no value (it is a switch)`;
  const unknown = /^Unknown option '([^']*)'/.exec(error.message);
  if (unknown !== null) {
    const flags = known.map((name) => `--${name}`);
    return `unknown option '${unknown[1]}'${didYouMean(unknown[1] ?? '', flags)}`;
  }
  return error.message;
}

/**
 * node's `parseArgs`, with its mistakes turned into a {@link UsageError} in the commands' own words; an
 * unknown option names the nearest known one (`--poler` → did you mean '--poller'?). A flag that takes
 * one value, given twice with different values, is refused too: `parseArgs` would keep the last and
 * drop the other without a word (`--tune` given twice searched only the second).
 */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs({ ...config, tokens: true }) as ReturnType<typeof parseArgs<T>>;
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    throw new UsageError(parseArgsMessage(error as Error, Object.keys(config.options ?? {})));
  }
  const twice = givenTwice(parsed as { tokens?: readonly ParsedToken[] }, config.options ?? {});
  if (twice !== undefined)
    throw new UsageError(
      `--${twice.name}: given twice ('${twice.first}', then '${twice.second}'); it takes one value`,
    );
  return parsed;
}

type ParsedToken = { readonly kind: string; readonly name?: string; readonly value?: string | undefined };

/** The first single-value flag given again with another value, if any. */
function givenTwice(
  parsed: { readonly tokens?: readonly ParsedToken[] },
  options: NonNullable<ParseArgsConfig['options']>,
): { readonly name: string; readonly first: string; readonly second: string } | undefined {
  const seen = new Map<string, string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || token.name === undefined || token.value === undefined) continue;
    const option = options[token.name];
    if (option === undefined || option.type !== 'string' || option.multiple === true) continue;
    const first = seen.get(token.name);
    if (first !== undefined && first !== token.value) return { name: token.name, first, second: token.value };
    seen.set(token.name, token.value);
  }
  return undefined;
}
