import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../src/cli/usage-error.ts';
import { POLLERS } from '../src/pollers/registry.ts';

/**
 * Loads the modules given to `sim --import`, in order, so that the pollers they register
 * (`registerPoller`) can be named by `--poller` and in scenario files. Each must register at least one:
 * a module that registers none most likely took `registerPoller` from another copy of pollbench than
 * the one running the command, whose registry this command never reads.
 * @param files paths, relative to the working directory
 * @returns the modules' file URLs, in order: what a seed study's worker threads import in turn
 * @throws {@link UsageError} naming the file: missing, failing to load, or registering nothing
 */
export async function importPollerModules(files: readonly string[]): Promise<string[]> {
  const urls: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const path = resolve(file);
    if (!existsSync(path)) throw new UsageError(`--import ${file}: no such file`);
    // A module loads once, so a second mention would register nothing; say what happened instead.
    if (seen.has(path)) throw new UsageError(`--import ${file}: given twice`);
    seen.add(path);
    const before = new Set(Object.keys(POLLERS));
    const url = pathToFileURL(path).href;
    try {
      await import(url);
    } catch (error) {
      // The user's own code: its message, not pollbench's stack. `node FILE` shows where it failed.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new UsageError(
        `--import ${file}: it failed to load (${message}); run \`node ${file}\` to see where`,
      );
    }
    const added = Object.keys(POLLERS).filter((name) => !before.has(name));
    if (added.length === 0)
      throw new UsageError(
        `--import ${file}: it registered no poller. It must call registerPoller from the pollbench running this command (${IMPORT_FROM})`,
      );
    urls.push(url);
  }
  return urls;
}

/** Where `registerPoller` comes from, for a module given to `--import`. */
const IMPORT_FROM =
  "import { registerPoller } from 'pollbench': in a project, the pollbench it installed; in the pollbench repository, `npm run sim` resolves it to the sources";
