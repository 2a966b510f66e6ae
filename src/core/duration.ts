/**
 * Go-style duration strings, the format of OpenAI's `x-ratelimit-reset-*` headers and of the
 * "Please try again in …" text (`120ms`, `1.772s`, `6m0s`, `7m12s`, `28m48s`; facts §2.1).
 */

/**
 * Formats a duration the way OpenAI's headers do: truncated to the millisecond, then printed with Go's
 * `time.Duration.String()` rules (`0s`, `12ms`, `1.772s`, `6m0s`, `1h2m3s`).
 * @param ms - duration in milliseconds; negative values print as `0s`.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.trunc(ms + 1e-9));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsMs = total % 60_000;
  const seconds = `${Math.floor(secondsMs / 1000)}${fraction(secondsMs % 1000)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

function fraction(ms: number): string {
  if (ms === 0) return '';
  return `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/**
 * Parses a Go duration (`1h2m3.5s`, `120ms`, `0s`) or a bare number of seconds (`20`, as some proxies send).
 * @returns milliseconds, or `undefined` when the text is not a duration.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (trimmed === '') return undefined;
  // One sticky pass, each part where the last ended: `adaptive` parses two of these per answer, and
  // validating and then scanning again with `matchAll` showed in its profile.
  GO_PART.lastIndex = 0;
  let total = 0;
  while (GO_PART.lastIndex < trimmed.length) {
    const match = GO_PART.exec(trimmed);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return total;
}

const GO_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/y;

/**
 * Parses a human duration used on command lines and in scenario files: `10s`, `2.5m`, `500ms`, `1h`,
 * `1m30s`, or `0`. Any other number needs its unit: `interval=10` once meant 10 ms, and a poller meant
 * to sleep 10 s polled a hundred times a second (see {@link unitHint}).
 * @returns milliseconds, or `undefined` if unparseable.
 */
export function parseHumanDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (isBareNumber(trimmed)) return Number(trimmed) === 0 ? 0 : undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(trimmed);
  if (!match) return parseGoDuration(trimmed);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

const isBareNumber = (text: string) => /^\d+(\.\d+)?$/.test(text);

/**
 * What to add to a "expected a duration" message when `value` is a number without its unit, else `''`:
 * ` (a number needs its unit: 10s or 10ms)`.
 */
export function unitHint(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  const text = String(value).trim();
  return isBareNumber(text) && Number(text) !== 0 ? ` (a number needs its unit: ${text}s or ${text}ms)` : '';
}

const HUMAN_UNITS: readonly (readonly [string, number])[] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * Writes a duration the way {@link parseHumanDuration} reads it back exactly: in the largest unit that
 * divides it (`6h`, `5m`, `20s`), else in milliseconds (`1500ms`, `0.25ms`).
 * @param ms - a finite duration in milliseconds, at least 0
 * @throws RangeError when the value has no such text (negative, not finite, or printed with an exponent)
 */
export function formatHumanDuration(ms: number): string {
  if (Number.isInteger(ms) && ms > 0)
    for (const [unit, size] of HUMAN_UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  const text = String(ms);
  if (!/^\d+(\.\d+)?$/.test(text)) throw new RangeError(`${text} ms has no duration text`);
  return `${text}ms`;
}
