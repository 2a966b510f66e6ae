import { describe, expect, test } from 'vitest';
import { renderConsole } from '../../reports/console-table.ts';
import { renderHtml } from '../../reports/html.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { readResult } from '../../reports/reading.ts';
import type { PollerSummary } from '../../reports/summary.ts';
import { editPoller, goldenSummary } from '../helpers/golden-summary.ts';

const golden = goldenSummary;
const edit = editPoller;

describe('the plain-words reading of a result', () => {
  test('states the baseline, the winner and the oracle with figures from the summary', () => {
    const text = readResult(golden()).join('\n');
    expect(text).toContain(
      '**fixed:interval=10s,gap=20s** (the baseline) made 80 requests and got 19 rate-limit 429s',
    );
    expect(text).toContain('wasted 19 of 80');
    expect(text).toContain('**Use adaptive**: it finished every job in 9m26s, 16% sooner than the baseline');
    expect(text).toContain('(efficiency 0.99 of the oracle)');
    expect(text).toContain('needed 61 requests and 9m20s');
  });

  test('efficiencies that print the same are a tie, won by fewer 429s, then fewer requests', () => {
    const summary = golden();
    const adaptive = summary.pollers.find((p) => p.name === 'adaptive') as PollerSummary;
    const slightlyFaster = (adaptive.efficiency as number) + 0.001;
    // 0.1 % faster but with a third more requests: still adaptive.
    const tie = edit(summary, 'limiter', { efficiency: slightlyFaster, requests: 81 });
    expect(readResult(tie).join('\n')).toContain('**Use adaptive**');
    // Same figures but one 429 fewer wins, whatever the requests.
    const fewer429 = edit(edit(summary, 'adaptive', { rateLimited: 2 }), 'limiter', {
      efficiency: adaptive.efficiency,
      requests: 90,
      rateLimited: 1,
    });
    expect(readResult(fewer429).join('\n')).toContain(
      'No poller finished every job without a 429. **Use limiter**',
    );
    // Between pollers free of 429s, a clear lead in printed efficiency wins outright.
    const faster = edit(summary, 'limiter', { efficiency: 0.9999, requests: 500 });
    expect(readResult(faster).join('\n')).toContain('**Use limiter**');
  });

  test('a poller free of 429s is recommended over a faster one that got some', () => {
    const faster = edit(golden(), 'limiter', { efficiency: 0.9999, requests: 62, rateLimited: 1 });
    const text = readResult(faster).join('\n');
    expect(text).toContain('**Use adaptive**');
    expect(text).not.toContain('No poller finished every job without a 429');
  });

  test('compares time and traffic with the baseline only when it finished its jobs too', () => {
    const gaveUp = edit(golden(), 'fixed', { jobs: { completed: 9, failed: 0, abandoned: 1 } });
    const text = readResult(gaveUp).join('\n');
    expect(text).toContain('**Use adaptive**: it finished every job in 9m26s, with 0 429s');
    expect(text).not.toContain('sooner than the baseline');
    expect(text).not.toContain('fewer requests');
  });

  test('says so when no poller but the oracle finished every job', () => {
    let summary = golden();
    for (const p of summary.pollers)
      if (p.name !== 'oracle') summary = edit(summary, p.name, { jobs: { ...p.jobs, abandoned: 1 } });
    expect(readResult(summary)).toContain('No poller other than the oracle finished every job.');
  });

  test('counts of one read in the singular', () => {
    const one = edit(golden(), 'fixed', {
      requests: 1,
      rateLimited: 1,
      jobs: { completed: 9, failed: 0, abandoned: 1 },
    });
    const text = readResult(one).join('\n');
    expect(text).toContain('made 1 request and got 1 rate-limit 429,');
    expect(text).toContain("0 failed on the server's side and 1 was abandoned");
    expect(text).toContain('1 job was abandoned: errors that outlasted');
  });
});

describe('a run cut short', () => {
  test('every report says why, under its table: the console, report.md and report.html', () => {
    const why =
      "poller 'backoff' stopped at the horizon, 6h of virtual time: its unfinished jobs count as abandoned";
    const summary = edit(golden(), 'backoff', { stopped: why });
    const line = `backoff was cut short: ${why}`;
    for (const text of [renderConsole(summary), renderMarkdown(summary, [])]) {
      expect(text).toContain(`\n${line}\n`);
      expect(text.split('\n').filter((l) => l.includes('was cut short'))).toHaveLength(1);
    }
    const html = renderHtml(summary, []);
    expect(html.includes('<p>backoff was cut short: poller ')).toBe(true);
    expect(renderMarkdown(golden(), [])).not.toContain('cut short');
  });
});
