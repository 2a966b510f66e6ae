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

/** The colour of a poller; unknown pollers get the extra hues in order of appearance. */
export function colorOf(name: string, index: number): string {
  return BY_NAME[name] ?? EXTRA[index % EXTRA.length] ?? '#000000';
}
