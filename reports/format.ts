import type { ModelLimits } from '../src/server/limits/types.ts';

/** Formats a duration for people: `850ms`, `12.3s`, `9m58s`, `2h05m`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Formats a number with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A count and its noun, singular or plural: `1 job`, `2 jobs`, `1,000 requests`. */
export function formatCounted(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Formats the limits of a model: `3 RPM · 200 RPD · 40,000 TPM`. */
export function formatLimits(limits: ModelLimits | null): string {
  if (limits === null) return 'none';
  const parts: string[] = [];
  for (const key of ['rpm', 'rpd', 'tpm', 'tpd', 'ipm'] as const) {
    const value = limits[key];
    if (value !== undefined) parts.push(`${formatCount(value)} ${key.toUpperCase()}`);
  }
  return parts.join(' · ') || 'none';
}

/** Seeds as people write them: runs of consecutive seeds as ranges, `1–10, 42`. */
export function formatSeedList(seeds: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seeds.length; ) {
    let j = i;
    while (j + 1 < seeds.length && (seeds[j + 1] as number) === (seeds[j] as number) + 1) j++;
    parts.push(j === i ? `${seeds[i]}` : `${seeds[i]}–${seeds[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
