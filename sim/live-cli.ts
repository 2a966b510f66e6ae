#!/usr/bin/env node
// `npm run live` and the `pollbench-live` bin. The cache goes on before the command's modules load, so
// that they are loaded from it (see enableCompileCache).
import { enableCompileCache } from '../src/cli/compile-cache.ts';

enableCompileCache();
await import('./live-command.ts');
