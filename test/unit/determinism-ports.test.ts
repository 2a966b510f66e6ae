import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The only files allowed to touch real time, define timers or draw unseeded randomness: the wall-clock
// port, the random port (its fresh seed is for the real API only), the virtual-time driver and its timer
// queue, and the watch that stops a stuck worker thread (it shapes no result).
const PORTS = new Set([
  'src/core/clock.ts',
  'src/core/random.ts',
  'sim/virtual-time.ts',
  'sim/timer-queue.ts',
  'sim/watchdog.ts',
]);
const BANNED = [
  /\bMath\.random\b/,
  /\bDate\.now\b/,
  /\bperformance\.now\b/,
  /(?<![.\w])setTimeout\s*\(/,
  /(?<![.\w])setInterval\s*\(/,
  /\bnew Date\(\)/,
  /\b(randomInt|randomBytes|randomUUID|getRandomValues|randomFillSync|randomFill)\b/,
];

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

test('time and randomness reach src/ and sim/ only through the injected ports', () => {
  const offenders: string[] = [];
  for (const top of ['src', 'sim']) {
    for (const file of sources(join(ROOT, top))) {
      const rel = relative(ROOT, file);
      if (PORTS.has(rel) || rel.startsWith('src/cli/')) continue;
      // Comments may name what they avoid; only code counts.
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const pattern of BANNED) if (pattern.test(text)) offenders.push(`${rel}: ${pattern}`);
    }
  }
  expect(offenders).toEqual([]);
});

test('src/ never imports sim/, reports/ or scenarios/', () => {
  const offenders: string[] = [];
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    if (/from '(\.\.\/)+(sim|reports|scenarios)\//.test(text)) offenders.push(relative(ROOT, file));
  }
  expect(offenders).toEqual([]);
});
