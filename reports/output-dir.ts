import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { UsageError } from '../src/cli/usage-error.ts';

/**
 * A report directory that cannot be created or written; the message names the path and the reason.
 * A {@link UsageError}: the commands print it and exit with code 2.
 */
export class OutputDirError extends UsageError {
  override readonly name: string = 'OutputDirError';
}

const EMPTY_OUT = 'expected a directory';

/** Refuses an empty `--out` (an unset `"$DIR"`) with a message that names the flag. */
export function checkOutFlag(dir: string | undefined): void {
  if (dir?.trim() === '') throw new UsageError(`--out: ${EMPTY_OUT}; got '${dir}'`);
}

/**
 * Makes sure `dir` exists and is writable, creating the missing directories one level at a time.
 * Called before a simulation runs, so that a bad `--out` costs nothing. Not `mkdirSync(dir,
 * { recursive: true })`: on Node 24 that never returns for a path under `/proc` (it retries ENOENT
 * for ever, measured here), and its errors name the deepest path rather than the one at fault.
 * @throws {@link OutputDirError}
 */
export function ensureOutputDir(dir: string): void {
  // resolve('') is the current directory: an unset shell variable (--out "$DIR") must not scatter
  // report files there.
  if (dir.trim() === '') throw new OutputDirError(`${EMPTY_OUT}; got '${dir}'`);
  const target = resolve(dir);
  const missing: string[] = [];
  for (let at = target; ; ) {
    const kind = pathKind(at);
    if (kind === 'directory') break;
    if (kind === 'other')
      throw new OutputDirError(
        at === target ? `${dir}: not a directory` : `${dir}: ${at} is not a directory`,
      );
    missing.push(at);
    const parent = dirname(at);
    // Unreachable on a working system (the root exists); guards the loop all the same.
    if (parent === at) throw new OutputDirError(`${dir}: no existing directory above it`);
    at = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      throw new OutputDirError(`${dir}: cannot create ${path} (${reason(error)})`);
    }
  }
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    throw new OutputDirError(`${dir}: cannot write there (${reason(error)})`);
  }
}

function pathKind(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file sits somewhere above; walking up finds it and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new OutputDirError(`${path}: ${reason(error)}`);
  }
}

/** The errno code with its text (`EACCES: permission denied`), or the message. */
export function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === undefined) return String(message ?? error);
  // Node's messages read "EACCES: permission denied, mkdir '/x'": keep the part before the path.
  return message.split(',')[0] ?? code;
}

/** A path written, as the commands list it: relative to the working directory, a folder's trailing separator kept. */
export function shortPath(path: string): string {
  return `${relative(process.cwd(), path)}${path.endsWith(sep) ? sep : ''}`;
}
