#!/usr/bin/env node
// Adds lockfile entries for other platforms' optional binary packages (@biomejs/cli-darwin-arm64,
// @napi-rs/canvas-win32-x64-msvc, …). The npm registry reachable from these machines serves only the
// Linux builds, so `npm install` cannot record the others, and `npm ci` then refuses the lockfile
// ("Missing: … from lock file"). The entries carry os/cpu/libc, so npm skips them on every machine
// they do not fit and never fetches them. Run after changing dependencies:
//   npm install && node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony'];
const CPU = ['x64', 'arm64', 'arm', 'riscv64', 'ia32', 'ppc64', 's390x', 'loong64'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (os === undefined || cpu === undefined) return undefined;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux') platform.libc = [parts.includes('musl') ? 'musl' : 'glibc'];
  return platform;
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key] !== undefined) continue;
    const platform = platformOf(dep);
    if (platform === undefined) continue;
    lock.packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
  void path;
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entr${added === 1 ? 'y' : 'ies'}`);
