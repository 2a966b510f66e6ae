import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Turns on Node's compile cache for this thread: the TypeScript each module stripped to, and V8's code
 * for it, kept on disk by the hash of the source, so that a later start loads them instead of doing the
 * work again. A command's entry calls it before it imports anything else (modules imported before the
 * call are not cached). The folder is {@link compileCacheFolder}; `NODE_DISABLE_COMPILE_CACHE=1` turns
 * it off, and a folder that cannot be written leaves it off. Measured (`npm run bench`): the whole
 * `npm run sim -- --tier free` process in about 320 ms instead of 570 ms.
 */
export function enableCompileCache(): void {
  module.enableCompileCache();
}

/**
 * The folder Node's compile cache lives in, the one {@link enableCompileCache} uses: `NODE_COMPILE_CACHE`,
 * or Node's default, `<system temp>/node-compile-cache` (where npm and tsc keep theirs).
 */
function compileCacheFolder(): string {
  return process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'node-compile-cache');
}

/**
 * The environment for a worker thread of pollbench's: this thread's, with the compile cache in the same
 * folder, and this thread's entries written out first. A worker thread does not inherit a cache turned
 * on in code, only the variable; with it, a worker whose modules are cached strips no TypeScript, so
 * Node's stripper (WebAssembly) never starts in it, and it starts in half the time (the seed worker's
 * modules in about 250 ms instead of 500 ms, measured). `NODE_DISABLE_COMPILE_CACHE=1` still turns it
 * off.
 */
export function workerEnvironment(): NodeJS.ProcessEnv {
  if (module.getCompileCacheDir() !== undefined) module.flushCompileCache();
  return { ...process.env, NODE_COMPILE_CACHE: compileCacheFolder() };
}
