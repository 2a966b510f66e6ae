import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A new empty directory `pollbench-NAME-…` under the system's temporary one, removed with all it holds
 * when the test that made it ends (`scope: 'test'`, called inside a test), or after the file's tests
 * (`'file'`, called at the top of a file or a describe block). Every run of the suite used to leave six
 * of them behind.
 */
export function tempDir(name: string, scope: 'test' | 'file' = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `pollbench-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (scope === 'test') onTestFinished(remove);
  else afterAll(remove);
  return dir;
}
