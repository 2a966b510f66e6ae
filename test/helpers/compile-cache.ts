import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** How many entries a Node compile cache folder holds, over its one folder per Node version and build. */
export function cacheEntries(folder: string): number {
  if (!existsSync(folder)) return 0;
  return readdirSync(folder).reduce((n, version) => n + readdirSync(join(folder, version)).length, 0);
}
