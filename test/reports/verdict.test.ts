import { describe, expect, test } from 'vitest';
import { renderConsole } from '../../reports/console-table.ts';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { renderSeedsConsole, renderSeedsMarkdown } from '../../reports/seeds-table.ts';
import type { Summary } from '../../reports/summary.ts';
import { summarize } from '../../reports/summary.ts';
import { bestOfRun, sharingHint, verdictAcrossSeeds, verdictOfRun } from '../../reports/verdict.ts';
import { runSimulation } from '../../sim/engine.ts';
import { editPoller, goldenSummary } from '../helpers/golden-summary.ts';
import { smallPreset } from '../helpers/sim-configs.ts';

const golden = goldenSummary;
const edit = editPoller;

/** Several seeds' runs of the golden study: seed 1 as run, the others as edited. */
const acrossSeeds = (...others: Summary[]) =>
  summarizeSeeds([golden(), ...others.map((s, i) => ({ ...s, seed: i + 2 }))]);

describe('the recommendation under the table of one run', () => {
  test('names the soonest poller free of 429s with its figures, and how to check it over seeds', () => {
    expect(verdictOfRun(golden())).toEqual([
      'Soonest without a 429: adaptive (9m26s, 61 requests, efficiency 0.99, no job abandoned). At one seed; --seeds 1-10 checks it over ten.',
    ]);
    // The console prints it between the table and the legend.
    expect(renderConsole(golden())).toContain(
      '\n\nSoonest without a 429: adaptive (9m26s, 61 requests, efficiency 0.99, no job abandoned). At one seed; --seeds 1-10 checks it over ten.\n\nEfficiency = ',
    );
  });

  test('a poller free of 429s beats a faster one that got some; ties in printed efficiency go to fewer requests', () => {
    const faster = edit(golden(), 'sdk', { efficiency: 1, rateLimited: 1 });
    expect(verdictOfRun(faster)[0]).toMatch(/^Soonest without a 429: adaptive /);
    const tie = edit(golden(), 'limiter', { efficiency: 0.991, requests: 60 });
    expect(verdictOfRun(tie)[0]).toMatch(/^Soonest without a 429: limiter \(19m20s, 60 requests, /);
  });

  test('without a poller free of 429s, names the one with the fewest and says so', () => {
    const summary = edit(edit(golden(), 'adaptive', { rateLimited: 4 }), 'limiter', { rateLimited: 2 });
    expect(verdictOfRun(summary)).toEqual([
      'No poller finished without a 429. Fewest of those that abandoned no job: limiter (2 429s, 19m20s, 61 requests, efficiency 0.48). At one seed; --seeds 1-10 checks it over ten.',
    ]);
  });

  test('a poller that abandoned jobs or was cut short is never recommended, however fast', () => {
    let summary = edit(golden(), 'backoff', { rateLimited: 0, efficiency: 1 });
    summary = edit(summary, 'limiter', { efficiency: 1, stopped: 'cut at the horizon' });
    expect(verdictOfRun(summary)[0]).toMatch(/^Soonest without a 429: adaptive /);
    for (const p of golden().pollers)
      if (p.name !== 'oracle') summary = edit(summary, p.name, { jobs: { ...p.jobs, abandoned: 1 } });
    expect(verdictOfRun(summary)).toEqual(['No poller other than the oracle finished every job.']);
  });

  test('says nothing when the study compares no two pollers', () => {
    const one = { ...golden(), pollers: golden().pollers.filter((p) => ['sdk', 'oracle'].includes(p.name)) };
    expect(verdictOfRun(one)).toEqual([]);
    expect(renderConsole(one)).not.toContain('429:');
  });
});

describe('the recommendation under the table across seeds', () => {
  test('free of 429s on every seed first, then mean efficiency, in the console and seeds.md', () => {
    // On seed 2 adaptive gets one 429 and limiter is as fast as the oracle: limiter, free of 429s on
    // both seeds, is recommended although adaptive is faster on average.
    const seeds = acrossSeeds(
      edit(edit(golden(), 'adaptive', { rateLimited: 1 }), 'limiter', { efficiency: 1 }),
    );
    const line =
      'Soonest without a 429 on both seeds: limiter (efficiency 0.74 mean, 0.48 worst, 61 requests a run, no job abandoned).';
    expect(verdictAcrossSeeds(seeds)).toEqual([line]);
    expect(renderSeedsConsole(seeds)).toContain(`\n\n${line}\n\nOver 2 runs`);
    expect(renderSeedsMarkdown(seeds, [])).toContain(`\n\n${line}\n\nOver 2 runs`);
  });

  test('a poller that abandoned a job on any seed is never recommended', () => {
    const seeds = acrossSeeds(
      edit(golden(), 'adaptive', { jobs: { completed: 9, failed: 0, abandoned: 1 } }),
    );
    expect(verdictAcrossSeeds(seeds)[0]).toMatch(/^Soonest without a 429 on both seeds: limiter /);
  });

  test('without a poller free of 429s on every seed, names the one with 429s on the fewest', () => {
    // Both get 429s on one seed of two, limiter fewer of them: fewer 429s outrank adaptive's speed.
    const seeds = acrossSeeds(
      edit(edit(golden(), 'adaptive', { rateLimited: 3 }), 'limiter', { rateLimited: 1 }),
    );
    expect(verdictAcrossSeeds(seeds)).toEqual([
      'No poller went without a 429 on both seeds. Fewest of those that abandoned no job: limiter (429s on 1 of 2 runs, 0.5 a run; efficiency 0.48 mean, 0.48 worst, 61 requests a run).',
    ]);
  });
});

describe('the recommendation under the table of one seed', () => {
  test('speaks of its seed, and counts its 429s', () => {
    const one = summarizeSeeds([
      edit(edit(golden(), 'adaptive', { rateLimited: 3 }), 'limiter', { rateLimited: 1 }),
    ]);
    expect(verdictAcrossSeeds(one)).toEqual([
      'No poller went without a 429 on its seed. Fewest of those that abandoned no job: limiter (1 429; efficiency 0.48 mean, 0.48 worst, 61 requests a run).',
    ]);
    expect(renderSeedsConsole(one)).toContain('\n\nOver 1 run, one per seed.');
  });
});

describe('the JSON documents name the poller the line names (recommended)', () => {
  test('summary.json: the spec of one run, computed by summarize', async () => {
    const result = await runSimulation(smallPreset('1', 1, { jobs: 6, workers: 3 }));
    const summary = summarize(result);
    expect(summary.recommended).toBe(bestOfRun(summary)?.spec);
    expect(verdictOfRun(summary)[0]).toContain(`: ${summary.recommended} (`);
    // Written before the other keys' poller rows, after the study's.
    expect(Object.keys(summary).slice(-2)).toEqual(['recommended', 'pollers']);
  });

  test('seeds.json: the spec across seeds, and null when only the oracle finished every job', () => {
    const seeds = acrossSeeds(
      edit(edit(golden(), 'adaptive', { rateLimited: 1 }), 'limiter', { efficiency: 1 }),
    );
    expect(seeds.recommended).toBe('limiter');
    let none = golden();
    for (const p of golden().pollers)
      if (p.name !== 'oracle') none = edit(none, p.name, { jobs: { ...p.jobs, abandoned: 1 } });
    expect(acrossSeeds(none).recommended).toBeNull();
  });
});

describe('the line for several clients on one organization (clients=N)', () => {
  /** The golden run as if `clients` processes had run it. */
  const shared = (clients: number, summary = golden()): Summary => ({
    ...summary,
    workload: { ...summary.workload, clients },
  });
  const HINT =
    "The 3 clients share one organization's limits, and adaptive and limiter got 429s counting on more of them than a client's part: tell them how many clients share them, as in --poller adaptive:clients=3.";

  test('names the pollers that can be told how many share the limits, were told fewer, and got 429s', () => {
    let summary = edit(shared(3), 'adaptive', { rateLimited: 2 });
    summary = edit(summary, 'limiter', { rateLimited: 1 });
    const lines = verdictOfRun(summary);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(HINT);
    // Across seeds, a poller with 429s on any seed.
    const seeds = acrossSeeds(shared(3, summary));
    expect(verdictAcrossSeeds({ ...seeds, workload: shared(3).workload }).at(-1)).toBe(HINT);
  });

  test('says nothing for one client, for pollers without 429s, or told as many clients as there are', () => {
    const limited = edit(golden(), 'adaptive', { rateLimited: 2 });
    expect(verdictOfRun(limited)).toHaveLength(1);
    expect(verdictOfRun(shared(3))).toHaveLength(1);
    const told = edit(shared(3, limited), 'adaptive', {
      spec: 'adaptive:clients=3',
      params: { ...limited.pollers.find((p) => p.name === 'adaptive')?.params, clients: 3 },
    });
    expect(verdictOfRun(told)).toHaveLength(1);
    // fixed has no such parameter: its 429s are its own matter.
    expect(verdictOfRun(edit(shared(3), 'fixed', { rateLimited: 9 }))).toHaveLength(1);
  });

  test('its example sets clients in the spec of the first poller it names, told too few or not at all', () => {
    const row = (spec: string, clients: number) => ({ spec, params: { clients } });
    expect(sharingHint(4, [row('adaptive:clients=2,quantized=auto', 2)])).toEqual([
      "The 4 clients share one organization's limits, and adaptive:clients=2,quantized=auto got 429s counting on more of them than a client's part: tell it how many clients share them, as in --poller adaptive:clients=4,quantized=auto.",
    ]);
    expect(
      sharingHint(2, [row('limiter:pause=5s', 1), row('adaptive', 1), row('adaptive:min=1s', 1)])[0],
    ).toMatch(
      /, and limiter:pause=5s, adaptive and adaptive:min=1s got 429s .* --poller limiter:pause=5s,clients=2\.$/,
    );
    // A limiter given its own rate: clients would not change it.
    expect(sharingHint(2, [{ spec: 'limiter:rpm=3', params: { clients: 1, rpm: 3 } }])).toEqual([]);
    expect(sharingHint(1, [row('adaptive', 1)])).toEqual([]);
  });
});
