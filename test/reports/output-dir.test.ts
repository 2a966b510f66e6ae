import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureOutputDir, OutputDirError } from '../../reports/output-dir.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pollbench-out-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('creates every missing level, and accepts a directory that exists', () => {
  const dir = join(root, 'a', 'b', 'c');
  ensureOutputDir(dir);
  expect(statSync(dir).isDirectory()).toBe(true);
  expect(() => ensureOutputDir(dir)).not.toThrow();
});

test('a file on the way is named, and nothing is created', () => {
  const file = join(root, 'file');
  writeFileSync(file, '');
  expect(() => ensureOutputDir(file)).toThrow(new OutputDirError(`${file}: not a directory`));
  expect(() => ensureOutputDir(join(file, 'x', 'y'))).toThrow(`${file} is not a directory`);
  expect(existsSync(join(file, 'x'))).toBe(false);
});

// Root ignores permission bits, so this can only be checked as another user.
test.runIf(process.getuid?.() !== 0)('a directory that cannot be written is refused', () => {
  const locked = join(root, 'locked');
  ensureOutputDir(locked);
  chmodSync(locked, 0o500);
  try {
    expect(() => ensureOutputDir(join(locked, 'x'))).toThrow(/cannot create .*EACCES/);
    expect(() => ensureOutputDir(locked)).toThrow(/cannot write there/);
  } finally {
    chmodSync(locked, 0o700);
  }
});
