#!/usr/bin/env node
// `npm run sim` and the `pollbench-sim` bin. The cache goes on before the command's modules load, so that
// they are loaded from it (see enableCompileCache).
import { enableCompileCache } from '../src/cli/compile-cache.ts';

enableCompileCache();
await import('./sim-command.ts');
