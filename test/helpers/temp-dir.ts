import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A new empty directory `pollbench-NAME-…` under the system's temporary one, removed with all it holds
 * when the test that made it ends (`scope: 'test'`, called inside a test), or after the file's tests
 * (`'file'`, called at the top of a file; a describe block wants {@link blockTempDir}). Every run of
 * the suite used to leave six of them behind.
 */
export function tempDir(name: string, scope: 'test' | 'file' = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `pollbench-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (scope === 'test') onTestFinished(remove);
  else afterAll(remove);
  return dir;
}

/**
 * {@link tempDir} for a describe block, made on first use: a block whose tests are all filtered out
 * (`vitest -t`) runs no hooks, so a directory made when it is collected would stay behind.
 */
export function blockTempDir(name: string): () => string {
  let dir: string | undefined;
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    dir ??= mkdtempSync(join(tmpdir(), `pollbench-${name}-`));
    return dir;
  };
}
