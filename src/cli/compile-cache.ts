import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder this thread's compile cache was turned on in by {@link enableCompileCache}, if it was. */
let enabledIn: string | undefined;

/**
 * Turns on Node's compile cache for this thread: the TypeScript each module stripped to, and V8's code
 * for it, kept on disk by the hash of the source, so that a later start loads them instead of doing the
 * work again. A command's entry calls it before it imports anything else (modules imported before the
 * call are not cached). The folder is `NODE_COMPILE_CACHE`, or Node's default,
 * `<system temp>/node-compile-cache` (where npm and tsc keep theirs); `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off. Measured (`npm run bench`): the whole `npm run sim -- --tier free` process in about
 * 320 ms instead of 570 ms.
 * @returns the folder, or `undefined` when the cache is off (disabled, or the folder not writable)
 */
export function enableCompileCache(): string | undefined {
  const { status, directory } = module.enableCompileCache();
  const { ENABLED, ALREADY_ENABLED } = module.constants.compileCacheStatus;
  enabledIn = status === ENABLED || status === ALREADY_ENABLED ? directory : undefined;
  return enabledIn;
}

/**
 * The environment for a worker thread of pollbench's: this thread's, with the compile cache in the folder
 * this thread uses (or Node's default), and this thread's entries written out first. A worker thread
 * does not inherit a cache turned on in code, only the variable; with it, a worker whose modules are
 * cached strips no TypeScript, so Node's stripper (WebAssembly) never starts in it, and it starts in half
 * the time (the seed worker's modules in about 250 ms instead of 500 ms, measured). `NODE_DISABLE_COMPILE_CACHE=1`
 * still turns it off.
 */
export function workerEnvironment(): NodeJS.ProcessEnv {
  if (enabledIn !== undefined) module.flushCompileCache();
  const folder = process.env.NODE_COMPILE_CACHE ?? enabledIn ?? join(tmpdir(), 'node-compile-cache');
  return { ...process.env, NODE_COMPILE_CACHE: folder };
}
