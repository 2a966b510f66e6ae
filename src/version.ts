import { PACKAGE_JSON } from './package-root.ts';

/**
 * pollbench's version, from `package.json`. Results are byte-identical for the same seed and the same
 * version, so every summary records it, and each command prints it with `--version`.
 */
export const POLLBENCH_VERSION: string = PACKAGE_JSON.version;
