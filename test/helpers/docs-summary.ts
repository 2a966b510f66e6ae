import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TunedSummary } from '../../reports/tuning.ts';

/**
 * The `seeds.json` of one of the README's tuning examples in `docs/DIR`, which
 * `test/reports/golden.test.ts` holds to be the current output of its command: tests of what the README
 * says of it read it here rather than run the search again.
 */
export function docsTunedSummary(dir: string): TunedSummary {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../docs/${dir}/seeds.json`, import.meta.url)), 'utf8'),
  ) as TunedSummary;
}
