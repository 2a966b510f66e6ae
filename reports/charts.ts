import { formatDuration } from './format.ts';
import { type PollerStyle, pollerStyles } from './palette.ts';
import type { Summary } from './summary.ts';

/** A chart to render, as a Chart.js configuration (plain data: it goes into the HTML page as JSON). */
export interface ChartSpec {
  /** File name of the PNG. */
  readonly file: string;
  readonly title: string;
  readonly config: Record<string, unknown>;
}

const label = (p: Summary['pollers'][number]) => p.spec;
const stylesOf = (summary: Summary): PollerStyle[] => pollerStyles(summary.pollers.map((p) => p.name));

/**
 * One set of bars in a chart with a group per tier: `color` (`#rrggbb`) at `alpha` (two hex digits,
 * default `CC`), outlined in it. A missing value (null) draws no bar and, skipped, leaves no gap in its
 * group, as for a poller some tiers did not run.
 */
export function tierBars(label: string, data: readonly (number | null)[], color: string, alpha = 'CC') {
  return {
    label,
    data,
    backgroundColor: `${color}${alpha}`,
    borderColor: color,
    borderWidth: 1,
    skipNull: true,
  };
}

/** The options every chart shares: a fixed size, no animation, a title, the legend below, axis titles. */
export function common(
  title: string,
  xTitle: string,
  yTitle: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    responsive: false,
    animation: false,
    devicePixelRatio: 1,
    plugins: {
      title: { display: true, text: title, font: { size: 16, weight: 'bold' } },
      legend: { position: 'bottom' },
    },
    scales: {
      x: { title: { display: true, text: xTitle }, ...((extra.x as object) ?? {}) },
      y: { title: { display: true, text: yTitle }, beginAtZero: true, ...((extra.y as object) ?? {}) },
    },
  };
}

/**
 * The options of a chart of efficiency over seeds: {@link common}'s, efficiency on the left from 0 to
 * the highest (at least 1), and on how many of `runs` seeds there were 429s on the right.
 */
export function efficiencyOverSeedsOptions(
  title: string,
  xTitle: string,
  runs: number,
  highest: number,
  x: Record<string, unknown> = {},
): Record<string, unknown> {
  const options = common(title, xTitle, 'efficiency (oracle makespan ÷ makespan)', {
    x,
    y: { min: 0, max: Math.ceil(Math.max(1, highest) * 10) / 10 },
  });
  (options.plugins as { legend: Record<string, unknown> }).legend.labels = { usePointStyle: true };
  (options.scales as Record<string, unknown>).y1 = {
    position: 'right',
    min: 0,
    max: runs,
    ticks: { precision: 0 },
    title: { display: true, text: 'runs with 429s' },
    grid: { drawOnChartArea: false },
  };
  return options;
}

/** The efficiency goal as a dashed black line through `data` (its points at the goal). */
export function efficiencyGoalLine(goal: number, data: readonly unknown[]): Record<string, unknown> {
  return {
    label: `efficiency goal: ${goal}`,
    data,
    borderColor: '#000000',
    borderDash: [8, 4],
    borderWidth: 1.5,
    pointRadius: 0,
    pointStyle: 'line',
    yAxisID: 'y',
  };
}

/**
 * 1. Requests per minute of each poller against the RPM limit, 429s marked. Minute m of the run is drawn
 * over its own span, m to m + 1 minutes into the run, so that when a limit was hit reads off the axis.
 */
function requestsPerMinute(summary: Summary): ChartSpec {
  const minutes = Math.max(1, ...summary.pollers.map((p) => p.perMinute.counted.length));
  // Each minute's start, and the end of the last: a step holds a minute's count until the next starts.
  const edges = Array.from({ length: minutes + 1 }, (_, m) => m);
  const styles = stylesOf(summary);
  const datasets: Record<string, unknown>[] = summary.pollers.map((p, i) => ({
    type: 'line',
    label: label(p),
    data: edges.map((x) => ({ x, y: p.perMinute.counted[Math.min(x, minutes - 1)] ?? 0 })),
    borderColor: styles[i]?.color,
    backgroundColor: styles[i]?.color,
    borderDash: styles[i]?.dash,
    borderWidth: 2,
    pointRadius: 0,
    stepped: 'before',
  }));
  summary.pollers.forEach((p, i) => {
    if (p.rateLimited === 0) return;
    datasets.push({
      type: 'scatter',
      label: `429s · ${label(p)}`,
      data: edges
        .slice(0, -1)
        .flatMap((m) =>
          (p.perMinute.rateLimited[m] ?? 0) > 0
            ? [{ x: m + 0.5, y: p.perMinute.counted[m] ?? 0, n: p.perMinute.rateLimited[m] }]
            : [],
        ),
      borderColor: styles[i]?.color,
      backgroundColor: '#ffffff',
      pointStyle: 'crossRot',
      pointRadius: 7,
      pointBorderWidth: 3,
    });
  });
  if (summary.limits?.rpm !== undefined) {
    datasets.push({
      type: 'line',
      label: `limit: ${summary.limits.rpm.toLocaleString('en-US')} RPM`,
      data: [
        { x: 0, y: summary.limits.rpm },
        { x: minutes, y: summary.limits.rpm },
      ],
      borderColor: '#000000',
      borderDash: [8, 4],
      borderWidth: 2,
      pointRadius: 0,
    });
  }
  const title = `Requests per minute counted against the limit of ${summary.limitsSubject} (× = minutes with 429s)`;
  return {
    file: 'requests-per-minute.png',
    title,
    config: {
      type: 'line',
      data: { datasets },
      options: common(title, 'minutes into the run', 'requests counted against the limit, per minute', {
        x: { type: 'linear', min: 0, max: minutes },
      }),
    },
  };
}

/** 2. Detection delay CDF per poller. */
function detectionCdf(summary: Summary): ChartSpec {
  const styles = stylesOf(summary);
  const datasets = summary.pollers
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.detectionDelayPercentilesMs.length > 0)
    .map(({ p, i }) => ({
      label: label(p),
      data: p.detectionDelayPercentilesMs.map((ms, k) => ({ x: ms / 1000, y: k * 2 })),
      borderColor: styles[i]?.color,
      backgroundColor: styles[i]?.color,
      borderDash: styles[i]?.dash,
      borderWidth: 2,
      pointRadius: 0,
      showLine: true,
    }));
  const title = 'Detection delay: how long after a job finished did the poller notice?';
  return {
    file: 'detection-delay-cdf.png',
    title,
    config: {
      type: 'scatter',
      data: { datasets },
      options: common(title, 'detection delay (seconds)', 'jobs detected within that delay (%)', {
        y: { max: 100 },
      }),
    },
  };
}

/** 3. 429s and throughput per poller. */
function rateLimitsAndThroughput(summary: Summary): ChartSpec {
  const labels = summary.pollers.map(label);
  const colors = stylesOf(summary).map((style) => style.color);
  const title = '429s (left) and completed jobs per minute (right), per poller';
  const options = common(title, 'poller', 'rate-limit 429s');
  (options.scales as Record<string, unknown>).y1 = {
    position: 'right',
    beginAtZero: true,
    title: { display: true, text: 'completed jobs per minute' },
    grid: { drawOnChartArea: false },
  };
  return {
    file: 'rate-limits-and-throughput.png',
    title,
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: 'rate-limit 429s',
            data: summary.pollers.map((p) => p.rateLimited),
            backgroundColor: colors,
            yAxisID: 'y',
          },
          {
            label: 'completed jobs per minute',
            data: summary.pollers.map((p) => p.throughputPerMin),
            backgroundColor: colors.map((c) => `${c}66`),
            borderColor: colors,
            borderWidth: 2,
            yAxisID: 'y1',
          },
        ],
      },
      options,
    },
  };
}

/** 4. Polls per job against detection delay, one point per poller: the trade-off a user tunes. */
function pollsVersusDelay(summary: Summary): ChartSpec {
  const styles = stylesOf(summary);
  const datasets = summary.pollers
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.detectionDelayMs.p50 !== null)
    .map(({ p, i }) => ({
      label: `${label(p)} (p50 ${formatDuration(p.detectionDelayMs.p50)})`,
      data: [{ x: p.pollsPerJob, y: (p.detectionDelayMs.p50 ?? 0) / 1000 }],
      backgroundColor: styles[i]?.color,
      borderColor: styles[i]?.color,
      pointStyle: styles[i]?.point,
      pointRadius: 9,
      pointHoverRadius: 11,
    }));
  const title = 'The trade-off: polls per job against median detection delay (lower left is better)';
  return {
    file: 'polls-vs-detection-delay.png',
    title,
    config: {
      type: 'scatter',
      data: { datasets },
      options: common(title, 'polls per job (429s included)', 'median detection delay (seconds)'),
    },
  };
}

/** The four report charts, from the summary alone. */
export function chartSpecs(summary: Summary): ChartSpec[] {
  return [
    requestsPerMinute(summary),
    detectionCdf(summary),
    rateLimitsAndThroughput(summary),
    pollsVersusDelay(summary),
  ];
}
