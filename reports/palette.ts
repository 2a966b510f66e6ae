/** The colour of 429 marks in every chart. */
export const RATE_LIMIT_RED = '#C00000';

/** How a tuning chart marks its best setting: a large black star. */
export const BEST_STAR = {
  showLine: false,
  pointStyle: 'star',
  pointRadius: 14,
  pointBorderWidth: 3,
  borderColor: '#000000',
  backgroundColor: '#000000',
} as const;

/** One colour per poller, the same in every chart and report (colour-blind-safe Okabe–Ito hues). */
const BY_NAME: Readonly<Record<string, string>> = {
  fixed: '#D55E00',
  backoff: '#E69F00',
  adaptive: '#009E73',
  sdk: '#0072B2',
  limiter: '#CC79A7',
  oracle: '#555555',
};
const EXTRA = ['#56B4E9', '#F0E442', '#8C564B', '#17BECF', '#BCBD22'];

/**
 * How later variants of one poller (`fixed:interval=5s` after `fixed:interval=2s`) are told apart:
 * a darker or lighter shade of the poller's colour (mixed with black or white by this share), and a
 * cue that does not need colour at all, a dash pattern for lines and a shape for points.
 */
const SHADES = [0, -0.35, 0.4, -0.6, 0.65];
const DASHES: readonly (readonly number[])[] = [[], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4]];
const POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'star'] as const;

/** How one poller is drawn in every chart. */
export interface PollerStyle {
  /** `#rrggbb`. */
  readonly color: string;
  /** Chart.js `borderDash`: empty for a solid line. */
  readonly dash: readonly number[];
  /** Chart.js `pointStyle`. */
  readonly point: (typeof POINTS)[number];
}

/**
 * The style of each poller of a study, in order. A poller keeps its own colour (unknown pollers get the
 * extra hues in order of appearance); a second, third… variant of the same poller gets the next shade,
 * dash and shape, so that a study of several intervals of `fixed` still reads as one family of lines
 * that can be told apart.
 */
export function pollerStyles(names: readonly string[]): PollerStyle[] {
  const variants = new Map<string, number>();
  const extraHues = new Map<string, string>();
  return names.map((name) => {
    const variant = variants.get(name) ?? 0;
    variants.set(name, variant + 1);
    let base = BY_NAME[name] ?? extraHues.get(name);
    if (base === undefined) {
      base = EXTRA[extraHues.size % EXTRA.length] as string;
      extraHues.set(name, base);
    }
    const k = variant % SHADES.length;
    return {
      color: shade(base, SHADES[k] as number),
      dash: DASHES[k] as readonly number[],
      point: POINTS[k] as PollerStyle['point'],
    };
  });
}

/** Mixes `#rrggbb` with black (share < 0) or white (share > 0). */
function shade(hex: string, share: number): string {
  if (share === 0) return hex;
  const target = share < 0 ? 0 : 255;
  const amount = Math.abs(share);
  const channel = (i: number) => {
    const value = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
    return Math.round(value + (target - value) * amount)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`.toUpperCase();
}
