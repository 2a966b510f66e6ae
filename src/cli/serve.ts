#!/usr/bin/env node
// `npm run serve` and the `pollbench-serve` bin. The cache goes on before the command's modules load, so
// that they are loaded from it (see enableCompileCache).
import { enableCompileCache } from './compile-cache.ts';

enableCompileCache();
await import('./serve-command.ts');
