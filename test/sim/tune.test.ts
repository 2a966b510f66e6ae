import { describe, expect, test } from 'vitest';
import { summarizeSeeds } from '../../reports/seeds-summary.ts';
import { renderSeedsConsole } from '../../reports/seeds-table.ts';
import { unsafe } from '../../reports/tuning.ts';
import { bestAcrossSeeds } from '../../reports/verdict.ts';
import { loadScenario } from '../../sim/scenario-file.ts';
import { studySeeds } from '../../sim/seed-study.ts';
import { configFromArgs } from '../../sim/sim-flags.ts';
import { tunePoller } from '../../sim/tune.ts';
import { parseTuneSpec } from '../../sim/tune-spec.ts';
import { formatMs, parsePollerSpec } from '../../src/pollers/registry.ts';
import { smallPreset } from '../helpers/sim-configs.ts';

// Tier 1 with 24 jobs, 12 at a time: short intervals get 429s, long ones wait, in well under a second.
const config = {
  ...smallPreset('1', 1, { jobs: 24, workers: 12 }),
  pollers: [parsePollerSpec('adaptive')],
};
const SEEDS = [1, 2, 3];
const target = parseTuneSpec('fixed:interval=250ms..20s');

describe('tunePoller', async () => {
  const tuned = await tunePoller(config, target, SEEDS, { threads: 1 });
  const settings = tuned.pollers.filter((p) => p.name === 'fixed');

  test('every setting tried is a row, by value, then the references and the oracle', () => {
    const values = settings.map((p) => p.params.interval as number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values.toSorted((a, b) => a - b)).toEqual(
      tuned.tuning.tried.map((t) => t.value).toSorted((a, b) => a - b),
    );
    expect(tuned.pollers.slice(settings.length).map((p) => p.spec)).toEqual(['adaptive', 'oracle']);
    // The grid, then at least one round of refining.
    expect(tuned.tuning.tried.filter((t) => t.round === 0)).toHaveLength(8);
    expect(Math.max(...tuned.tuning.tried.map((t) => t.round))).toBeGreaterThan(0);
  });

  test('its figures are those of one study of the same rows: merging rounds changes nothing', async () => {
    const rows = tuned.pollers.filter((p) => p.name !== 'oracle').map((p) => parsePollerSpec(p.spec));
    const direct = summarizeSeeds(
      (await studySeeds({ ...config, pollers: rows }, SEEDS, { threads: 1 })).summaries,
    );
    expect(tuned.pollers).toEqual(direct.pollers);
    expect(tuned.recommended).toBe(direct.recommended);
  });

  test('the best is the best row as a seeds table ranks them, and the nearest unsafe setting got 429s', () => {
    expect(tuned.tuning.best).toBe(bestAcrossSeeds({ pollers: settings })?.spec);
    const best = settings.find((p) => p.spec === tuned.tuning.best);
    const edge = settings.find((p) => p.spec === tuned.tuning.nearestUnsafe);
    // Findings of this workload, not assumptions: 250 ms polls get 429s, the best setting none.
    expect(best && unsafe(best)).toBe(false);
    expect(edge && unsafe(edge)).toBe(true);
    expect(settings[0] && unsafe(settings[0])).toBe(true);
    expect(tuned.tuning.atEnd).toBeNull();
  });

  test('the held-out check runs the best on as many seeds the search did not see', async () => {
    const heldOut = tuned.tuning.heldOut;
    expect(heldOut?.seeds).toEqual([4, 5, 6]);
    const best = parsePollerSpec(tuned.tuning.best as string);
    const direct = summarizeSeeds(
      (await studySeeds({ ...config, pollers: [best] }, [4, 5, 6], { threads: 1 })).summaries,
    );
    expect(heldOut?.result).toEqual({ ...direct.pollers[0], spec: tuned.tuning.best });
  });

  test('the same seeds give the same search, on any number of threads', async () => {
    const again = await tunePoller(config, target, SEEDS, { threads: 3, heldOutSeeds: [] });
    expect(again.pollers).toEqual(tuned.pollers);
    expect(again.tuning).toEqual({ ...tuned.tuning, heldOut: null });
  });

  test('every setting names the tuned parameter, at its default too, apart from a reference row', async () => {
    const gaps = await tunePoller(
      { ...config, pollers: [parsePollerSpec('fixed')] },
      parseTuneSpec('fixed:gap=0..10s'),
      [1],
      { threads: 1, refineRounds: 0, heldOutSeeds: [] },
    );
    const specs = gaps.pollers.map((p) => p.spec);
    expect(specs.slice(0, 2)).toEqual(['fixed:interval=10s,gap=0s', 'fixed:interval=10s,gap=1400ms']);
    expect(specs.slice(-2)).toEqual(['fixed:interval=10s', 'oracle']);
    expect(new Set(specs).size).toBe(specs.length);
  });

  test('when no setting finishes every job, the line names the one that lost the fewest', async () => {
    // Per-second enforcement: twelve creates in the first second are more than tier 1's 500/60 allow.
    const quantized = configFromArgs(['--tier', '1', '--jobs', '24', '--workers', '12', '--quantize', '1s']);
    const lost = await tunePoller(
      { ...quantized, pollers: [] },
      parseTuneSpec('fixed:interval=1s..9s'),
      [1, 2],
      {
        threads: 1,
        refineRounds: 0,
      },
    );
    expect(lost.tuning.best).toBeNull();
    const rows = lost.pollers.filter((p) => p.name === 'fixed');
    const fewest = Math.min(...rows.map((p) => p.jobs.abandoned));
    expect(fewest).toBeGreaterThan(0);
    const line = renderSeedsConsole(lost)
      .split('\n')
      .find((l) => l.startsWith('No setting of interval'));
    const named = rows.find((p) => line?.includes(`Fewest lost: ${p.spec} (`));
    expect(named?.jobs.abandoned).toBe(fewest);
    expect(line).toContain(`${fewest} jobs abandoned).`);
  });

  test('refuses what would search nothing or hold out a seed it searches, before running anything', async () => {
    const refused = (seeds: number[], options: Parameters<typeof tunePoller>[3]) =>
      tunePoller(config, target, seeds, options).catch((error: unknown) => error);
    for (const [seeds, options, message] of [
      [[], {}, 'tunePoller: no seeds to search over'],
      [[1], { gridPoints: 1 }, 'tunePoller: gridPoints: expected an integer ≥ 2; got 1'],
      [[1], { refineRounds: -1 }, 'tunePoller: refineRounds: expected an integer ≥ 0; got -1'],
      [[1, 2], { heldOutSeeds: [3, 2] }, 'tunePoller: heldOutSeeds: seed 2 is searched too'],
    ] as const) {
      const error = await refused([...seeds], options);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain(message);
    }
  });

  test('a best at an end of the range says so', async () => {
    const high = await tunePoller(config, parseTuneSpec('fixed:interval=250ms..1s'), SEEDS, {
      threads: 1,
      refineRounds: 0,
      heldOutSeeds: [],
    });
    expect(high.tuning.tried.map((t) => t.value)).toEqual([250, 300, 370, 450, 550, 670, 820, 1000]);
    expect(high.tuning.best).toBe('fixed:interval=1s');
    expect(high.tuning.atEnd).toBe('high');
  });

  test('on one seed, the lines speak of one seed and one run', async () => {
    const one = await tunePoller(config, target, [2], { threads: 1, refineRounds: 0 });
    const text = renderSeedsConsole(one);
    const edge = one.pollers.find((p) => p.spec === one.tuning.nearestUnsafe);
    expect(edge?.jobs.abandoned).toBeGreaterThan(0);
    // How far below the best it lies, as a share of the best.
    const value = (spec?: string | null) => one.tuning.tried.find((t) => t.spec === spec)?.value as number;
    const percent = Math.round((1 - value(edge?.spec) / value(one.tuning.best)) * 100);
    expect(text).toContain(
      `Nearest setting tried that did not: ${edge?.spec}, ${percent} % below (429s on its seed, ${edge?.jobs.abandoned} jobs abandoned).`,
    );
    expect(text).toMatch(/\nBest interval: \S+ \(no 429 on its seed, /);
    expect(text).toMatch(/\nOn seed 3, which the search did not see: /);
    expect(text).toContain('\n\nOver 1 run, one per seed.');
  });

  test('when every setting gets 429s, the lines say so and name the fewest, with no margin to speak of', async () => {
    // The seed program on the free tier: at 3 RPM, no interval up to 20 s escapes 429s.
    const seed = { ...loadScenario('seed-article'), pollers: [] };
    const tried = await tunePoller(seed, parseTuneSpec('fixed:interval=1s..20s,gap=20s'), SEEDS, {
      threads: 1,
      heldOutSeeds: [],
    });
    const rows = tried.pollers.filter((p) => p.name === 'fixed');
    expect(rows.every(unsafe)).toBe(true);
    expect(tried.tuning.best).toBe(bestAcrossSeeds({ pollers: rows })?.spec);
    expect(tried.tuning.nearestUnsafe).toBeNull();
    const text = renderSeedsConsole(tried);
    expect(text).toContain(
      `No setting of interval tried went without a 429 on all 3 seeds. Fewest: ${tried.tuning.best} (429s on `,
    );
    expect(text).not.toContain('Nearest setting tried');
    expect(text).not.toContain('which the search did not see');
  });

  test('a parameter that makes no difference is said to, and its grid is not refined', async () => {
    // On the seed program adaptive's jobs never outlive what it has learned, so `tail` never acts.
    const seed = { ...loadScenario('seed-article'), pollers: [] };
    const flat = await tunePoller(seed, parseTuneSpec('adaptive:tail=0.01..1'), [1, 2], {
      threads: 1,
      gridPoints: 3,
      heldOutSeeds: [3],
    });
    expect(flat.tuning.tried.map((t) => [t.value, t.round])).toEqual([
      [0.01, 0],
      [0.1, 0],
      [1, 0],
    ]);
    const text = renderSeedsConsole(flat);
    expect(text).toMatch(
      /\nTail made no difference here: every setting tried ran the same on both seeds \(no 429, efficiency [\d.]+ mean, [\d.]+ worst, \d+ requests a run\), so any of them will do\.\n/,
    );
    expect(text).toContain(`\nOn seed 3, which the search did not see, ${flat.tuning.best}: no 429`);
    expect(text).not.toContain('Best tail');
  });

  test('a best at an end, tied with the setting next to it, is no end a wider range could beat', async () => {
    // tail 0.02 is the range's low end but not the parameter's (0.01), and the lowest settings tie.
    const seed = { ...loadScenario('seed-article'), pollers: [] };
    const tied = await tunePoller(seed, parseTuneSpec('adaptive:tail=0.02..1'), [1, 2, 3], {
      threads: 1,
      heldOutSeeds: [],
    });
    const rows = tied.pollers.filter((p) => p.name === 'adaptive');
    expect(tied.tuning.best).toBe('adaptive:tail=0.02');
    expect(JSON.stringify(rows[0]?.perSeed)).toBe(JSON.stringify(rows[1]?.perSeed));
    expect(tied.tuning.atEnd).toBeNull();
    expect(renderSeedsConsole(tied)).not.toContain('a wider range may do better');
  });

  test('settings beside the best that ran the same are a span, and no round halves between them', async () => {
    const seed = { ...loadScenario('seed-article'), pollers: [] };
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const span = await tunePoller(seed, parseTuneSpec('adaptive:tail=0.01..1'), seeds, {
      threads: 1,
      heldOutSeeds: [],
    });
    const rows = span.pollers.filter((p) => p.name === 'adaptive');
    const runs = (i: number) => JSON.stringify(rows[i]?.perSeed);
    // The lowest settings tie; the highest do not (else the parameter would have made no difference).
    expect(runs(0)).toBe(runs(1));
    expect(runs(0)).not.toBe(runs(rows.length - 1));
    expect(span.tuning.tried.every((t) => t.round === 0)).toBe(true);
    let last = 0;
    while (runs(last + 1) === runs(0)) last++;
    expect(renderSeedsConsole(span)).toContain(
      `\nEvery setting of tail from 0.01 to ${rows[last]?.params.tail} ran the same on all 10 seeds: any of them will do.\n`,
    );
  });
});

describe('tunePoller over two parameters', async () => {
  const two = parseTuneSpec('fixed:interval=250ms..20s,gap=0s..10s');
  const options = { threads: 1, gridPoints: 3, refineRounds: 2 };
  const tuned = await tunePoller(config, two, SEEDS, options);
  const settings = tuned.pollers.filter((p) => p.name === 'fixed');

  test('every pair tried is a row, by interval then gap, its figures those of one study of the same rows', async () => {
    const pairs = settings.map((p) => [p.params.interval as number, p.params.gap as number]);
    expect(pairs).toEqual(
      pairs.toSorted(([a, b], [c, d]) => (a as number) - (c as number) || (b as number) - (d as number)),
    );
    expect(tuned.tuning.tried.map((t) => [t.value, t.second]).toSorted()).toEqual(pairs.toSorted());
    expect(tuned.tuning.tried.filter((t) => t.round === 0)).toHaveLength(9);
    expect(Math.max(...tuned.tuning.tried.map((t) => t.round))).toBe(2);
    const rows = tuned.pollers.filter((p) => p.name !== 'oracle').map((p) => parsePollerSpec(p.spec));
    const direct = summarizeSeeds(
      (await studySeeds({ ...config, pollers: rows }, SEEDS, { threads: 1 })).summaries,
    );
    // The same figures; a row of the tune names both values, even a default gap of 0 s.
    const figures = (rows: typeof tuned.pollers) => rows.map(({ spec: _spec, ...figures }) => figures);
    expect(figures(tuned.pollers)).toEqual(figures(direct.pollers));
    expect(settings.every((p) => /^fixed:interval=[^,]+,gap=[^,]+$/.test(p.spec))).toBe(true);
    expect(tuned.tuning.best).toBe(bestAcrossSeeds({ pollers: settings })?.spec);
  });

  test('the same document on two threads as on one', async () => {
    expect(await tunePoller(config, two, SEEDS, { ...options, threads: 2 })).toEqual(tuned);
  });

  test('a best gap of 0 s is no end a wider range could pass: nothing is said of it', async () => {
    const gap = await tunePoller(config, parseTuneSpec('fixed:interval=4s,gap=0s..10s'), SEEDS, {
      threads: 1,
      gridPoints: 3,
      refineRounds: 0,
      heldOutSeeds: [],
    });
    expect(gap.tuning.best).toBe('fixed:interval=4s,gap=0s');
    expect(gap.tuning.atEnd).toBeNull();
    expect(renderSeedsConsole(gap)).not.toContain('a wider range may do better');
  });

  test('the settings that ran the same as the best are named, the first three of them', async () => {
    const seed = { ...loadScenario('seed-article'), pollers: [] };
    const tied = await tunePoller(seed, parseTuneSpec('adaptive:tail=0.01..1,initial=250ms..5s'), [1, 2, 3], {
      threads: 1,
      gridPoints: 4,
      heldOutSeeds: [],
    });
    const rows = tied.pollers.filter((p) => p.name === 'adaptive');
    const best = rows.find((p) => p.spec === tied.tuning.best);
    const twins = rows.filter(
      (p) => p !== best && JSON.stringify(p.perSeed) === JSON.stringify(best?.perSeed),
    );
    expect(twins.length).toBeGreaterThan(3);
    expect(renderSeedsConsole(tied)).toContain(
      `\n${twins.length} other settings tried ran the same as it on all 3 seeds: ${twins
        .slice(0, 3)
        .map((p) => p.spec)
        .join(', ')} and ${twins.length - 3} more.\n`,
    );
  });
});

describe('tunePoller over three parameters', async () => {
  const three = parseTuneSpec('fixed:interval=250ms..20s,gap=0s..10s,retries=0..2');
  const tuned = await tunePoller(config, three, SEEDS, { threads: 1, gridPoints: 3, refineRounds: 1 });
  const settings = tuned.pollers.filter((p) => p.name === 'fixed');

  test('every setting tried is a row, by interval, gap, then retries, each naming all three', () => {
    const triples = settings.map((p) => [p.params.interval, p.params.gap, p.params.retries] as number[]);
    const order = (a: number[], b: number[]) => a.findIndex((v, k) => v !== b[k]);
    expect(triples).toEqual(
      triples.toSorted((a, b) => {
        const k = order(a, b);
        return k < 0 ? 0 : (a[k] as number) - (b[k] as number);
      }),
    );
    expect(tuned.tuning.tried.map((t) => [t.value, t.second, t.third]).toSorted()).toEqual(
      triples.toSorted(),
    );
    expect(tuned.tuning.tried.filter((t) => t.round === 0)).toHaveLength(27);
    expect(settings.every((p) => /^fixed:interval=[^,]+,gap=[^,]+,retries=\d$/.test(p.spec))).toBe(true);
    expect(tuned.tuning.best).toBe(bestAcrossSeeds({ pollers: settings })?.spec);
    expect(tuned.tuning.third).toMatchObject({ param: 'retries', kind: 'int', low: 0, high: 2 });
  });

  test('the lines name the three parameters and the grid', () => {
    const text = renderSeedsConsole(tuned);
    expect(text).toContain(
      `tuning ${three.spec}: ${tuned.tuning.tried.length} settings tried, 27 on a 3 × 3 × 3 grid over the three ranges`,
    );
    expect(text).toContain('\nBest interval, gap and retries: ');
  });

  test('a best setting whose one parameter is at the end of its range says which', async () => {
    // The longest interval with no gap and no retries is safe; a shorter one with no gap is not.
    const ends = await tunePoller(
      config,
      parseTuneSpec('fixed:interval=1s..3s,gap=0s..1s,retries=0..1'),
      SEEDS,
      {
        threads: 1,
        gridPoints: 2,
        refineRounds: 0,
        heldOutSeeds: [],
      },
    );
    const best = ends.tuning.tried.find((t) => t.spec === ends.tuning.best);
    const atEnds = [ends.tuning.atEnd, ends.tuning.second?.atEnd, ends.tuning.third?.atEnd];
    expect(atEnds.some((end) => end !== null)).toBe(true);
    const named = ['interval', 'gap', 'retries'].filter((_, k) => atEnds[k] !== null);
    expect(renderSeedsConsole(ends)).toMatch(
      new RegExp(
        `\\nIts ${named[0]} is the (lowest|highest) of its range.*: a wider range may do better\\.\\n`,
      ),
    );
    expect(best).toBeDefined();
  });
});

describe('tunePoller over a range and named values', async () => {
  const spec = parseTuneSpec('backoff:base=250ms..10s,jitter=none|full|equal');
  const tuned = await tunePoller(config, spec, SEEDS, { threads: 1, gridPoints: 4, heldOutSeeds: [] });
  const settings = tuned.pollers.filter((p) => p.name === 'backoff');

  test('every value is on the grid at every base, and each row names its value', () => {
    const grid = tuned.tuning.tried.filter((t) => t.round === 0);
    expect(grid).toHaveLength(12);
    for (const value of [0, 1, 2]) expect(grid.filter((t) => t.second === value)).toHaveLength(4);
    expect(settings.every((p) => /^backoff:base=[^,]+,jitter=(none|full|equal)$/.test(p.spec))).toBe(true);
    for (const t of tuned.tuning.tried)
      expect(t.spec).toContain(`jitter=${['none', 'full', 'equal'][t.second as number]}`);
    expect(tuned.tuning.second).toEqual({
      param: 'jitter',
      kind: 'enum',
      low: 0,
      high: 2,
      values: ['none', 'full', 'equal'],
      atEnd: null,
    });
  });

  test('the best is the best row of all, and every value was tried at its base', () => {
    expect(tuned.tuning.best).toBe(bestAcrossSeeds({ pollers: settings })?.spec);
    const best = tuned.tuning.tried.find((t) => t.spec === tuned.tuning.best);
    const atBase = tuned.tuning.tried.filter((t) => t.value === best?.value).map((t) => t.second);
    expect(atBase.toSorted()).toEqual([0, 1, 2]);
    // The rounds halved the range: some base tried is not on the first grid.
    const grid = new Set(tuned.tuning.tried.filter((t) => t.round === 0).map((t) => t.value));
    expect(tuned.tuning.tried.some((t) => !grid.has(t.value))).toBe(true);
  });

  test('the lines name the range and the values searched', () => {
    const text = renderSeedsConsole(tuned);
    expect(text).toContain(
      `tuning ${spec.spec}: ${tuned.tuning.tried.length} settings tried, 12 on a 4 × 3 grid over the range and the 3 values of jitter`,
    );
    expect(text).toContain('\nBest base and jitter: ');
  });

  test("the first round refines around each value's best, not only around the best of all", async () => {
    const once = await tunePoller(config, spec, SEEDS, {
      threads: 1,
      gridPoints: 4,
      refineRounds: 1,
      heldOutSeeds: [],
    });
    const grid = new Set(once.tuning.tried.filter((t) => t.round === 0).map((t) => t.value));
    const first = once.tuning.tried.filter((t) => t.round === 1);
    for (const value of [0, 1, 2])
      expect(
        first.some((t) => t.second === value && !grid.has(t.value)),
        `jitter #${value}`,
      ).toBe(true);
  });

  test("a line gives each value's best setting, ranked as the table ranks them", () => {
    const text = renderSeedsConsole(tuned);
    const line = text
      .split('\n')
      .find((l) => l.startsWith('Best of each jitter, ranked as the settings are: '));
    const bests = ['none', 'full', 'equal'].map((name, v) => {
      const specs = new Set(tuned.tuning.tried.filter((t) => t.second === v).map((t) => t.spec));
      const best = bestAcrossSeeds({ pollers: settings.filter((p) => specs.has(p.spec)) });
      return { name, best };
    });
    const order = bestAcrossSeeds({ pollers: bests.flatMap((b) => b.best ?? []) });
    expect(line).toContain(`: ${bests.find((b) => b.best === order)?.name} at base=`);
    for (const { name, best } of bests) {
      const base = formatMs(best?.params.base as number);
      expect(line).toContain(`${name} at base=${base} (${best?.efficiency?.mean.toFixed(2)} mean`);
    }
  });
});
