import { createRequire } from 'node:module';
import { dirname } from 'node:path';

// Found through the package's own name (its "exports" list ./package.json), so the answer is the same
// from the .ts sources and from the compiled dist/ of an installed copy, which sit at different depths.
const require = createRequire(import.meta.url);
const packageJson = require.resolve('pollbench/package.json');

/** The folder pollbench is installed in (holding package.json and scenarios/). @internal */
export const PACKAGE_ROOT: string = dirname(packageJson);

/** pollbench's package.json, as far as pollbench reads it. @internal */
export const PACKAGE_JSON = require(packageJson) as { readonly version: string };
