import { describe, expect, test } from 'vitest';
import { type PollerAcrossSeeds, summarizeSeeds } from '../../reports/seeds-summary.ts';
import { type TunedSummary, unsafe } from '../../reports/tuning.ts';
import { runSimulation, simulatePoller } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { bundledScenarioNames, loadScenario } from '../../sim/scenario-file.ts';
import { studySeeds } from '../../sim/seed-study.ts';
import { tunePoller } from '../../sim/tune.ts';
import { parseTuneSpec } from '../../sim/tune-spec.ts';
import { parsePollerSpec } from '../../src/pollers/registry.ts';
import { TIERS } from '../../src/server/limits/tier-tables.ts';
import { docsTunedSummary } from '../helpers/docs-summary.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('what the seed article reported, found (not assumed) on the free tier', () => {
  test("the seed program's fixed poller gets 429s, and the first falls within the first three files, for most seeds", async () => {
    const firsts: (number | null)[] = [];
    for (const seed of SEEDS) {
      const run = await simulatePoller(
        tierPreset('free', seed),
        parsePollerSpec('fixed:interval=10s,gap=20s'),
      );
      firsts.push(run.metrics.rateLimited > 0 ? run.metrics.firstRateLimitAtJob : null);
    }
    const got429 = firsts.filter((f) => f !== null).length;
    const early = firsts.filter((f) => f !== null && f <= 3).length;
    expect(got429 / SEEDS.length).toBeGreaterThan(0.5);
    expect(early / SEEDS.length).toBeGreaterThan(0.5);
  });
});

describe('the seed program at every tier (README, "Comparing tiers"), on seeds 1–10', () => {
  test('its sleeps get 429s on the free tier only; above it they cost two thirds of its time, and adaptive wins at each', async () => {
    const pollers = ['fixed:interval=10s,gap=20s', 'sdk', 'adaptive'].map(parsePollerSpec);
    const seeds = SEEDS.slice(0, 10);
    for (const tier of TIERS) {
      const base = loadScenario('seed-article');
      const config = { ...base, mock: { ...base.mock, tier }, pollers };
      const { summaries } = await studySeeds(config, seeds, { threads: 1 });
      const study = summarizeSeeds(summaries);
      const [fixed, sdk] = study.pollers as [PollerAcrossSeeds, PollerAcrossSeeds];
      if (tier === 'free') expect(fixed.runsRateLimited, tier).toBe(10);
      else {
        expect(fixed.runsRateLimited, tier).toBe(0);
        expect(fixed.efficiency?.mean, tier).toBeLessThan(0.4);
        expect(sdk.runsRateLimited, tier).toBe(0);
        expect(sdk.efficiency?.mean, tier).toBeGreaterThan(2 * (fixed.efficiency?.mean ?? 1));
      }
      expect(study.recommended, tier).toBe('adaptive');
    }
  });
});

describe('the seed program tuned at each tier (README, "At every tier"), on seeds 1–10', () => {
  test("each tier's best sleeps are wrong at the other, and adaptive is within 0.03 of the best at both", async () => {
    const seeds = SEEDS.slice(0, 10);
    const at = (tier: (typeof TIERS)[number], pollers: string[]) => {
      const base = loadScenario('seed-article');
      return { ...base, mock: { ...base.mock, tier }, pollers: pollers.map(parsePollerSpec) };
    };
    const target = parseTuneSpec('fixed:interval=1s..60s,gap=0s..60s');
    const tuned = async (tier: 'free' | '1') =>
      tunePoller(at(tier, ['adaptive']), target, seeds, { heldOutSeeds: [] });
    const [free, one] = [await tuned('free'), await tuned('1')];
    const bestOf = (study: TunedSummary) => study.pollers.find((p) => p.spec === study.tuning.best);
    const [freeBest, oneBest] = [bestOf(free), bestOf(one)] as [PollerAcrossSeeds, PollerAcrossSeeds];
    expect([freeBest.runsRateLimited, oneBest.runsRateLimited]).toEqual([0, 0]);
    // On the free tier the limit binds, so a shorter interval gets 429s; at tier 1 nothing tried did.
    expect(free.tuning.nearestUnsafe).not.toBeNull();
    expect(one.tuning.nearestUnsafe).toBeNull();
    const setting = (study: TunedSummary) => study.tuning.tried.find((t) => t.spec === study.tuning.best);
    expect(setting(one)?.value).toBeLessThan((setting(free)?.value ?? 0) / 10);
    // Each tier's best, run at the other tier.
    const cross = async (tier: 'free' | '1') =>
      summarizeSeeds(
        (await studySeeds(at(tier, [freeBest.spec, oneBest.spec, 'adaptive']), seeds, { threads: 1 }))
          .summaries,
      ).pollers as [PollerAcrossSeeds, PollerAcrossSeeds, PollerAcrossSeeds];
    const [[, oneAtFree, adaptiveAtFree], [freeAtOne, , adaptiveAtOne]] = [
      await cross('free'),
      await cross('1'),
    ];
    expect(oneAtFree.runsRateLimited).toBeGreaterThan(5);
    expect(freeAtOne.efficiency?.mean).toBeLessThan(0.5 * (oneBest.efficiency?.mean ?? 0));
    for (const [adaptive, best] of [
      [adaptiveAtFree, freeBest],
      [adaptiveAtOne, oneBest],
    ] as const) {
      expect(adaptive.runsRateLimited).toBe(0);
      // As the tables print them, in hundredths.
      const shown = (row: PollerAcrossSeeds) => Math.round((row.efficiency?.mean ?? 0) * 100);
      expect(shown(adaptive)).toBeGreaterThanOrEqual(shown(best) - 3);
    }
  });
});

describe('the Python SDK, which the seed program was written for', () => {
  test('gives the seed program the same figures as the Node SDK on every seed: no retry-after there exceeds 60 s', async () => {
    for (const seed of SEEDS) {
      const [node, python] = await Promise.all(
        ['', ',lang=python'].map((lang) =>
          simulatePoller(tierPreset('free', seed), parsePollerSpec(`fixed:interval=10s,gap=20s${lang}`)),
        ),
      );
      expect(python?.metrics, `seed ${seed}`).toEqual(node?.metrics);
    }
  });

  test("past the free tier's 200 requests a day, 3.3.1 gives up on each 429 where 2.51 and Node retry twice", async () => {
    // README, "Python programs": 60 files of the seed program's flow outrun the day's budget.
    const base = tierPreset('free', 1);
    const config = { ...base, workload: { ...base.workload, jobs: 60 } };
    const [node, python, old] = await Promise.all(
      ['', ',lang=python', ',lang=python-2.51'].map((lang) =>
        simulatePoller(config, parsePollerSpec(`fixed:interval=30s,gap=20s${lang}`)),
      ),
    );
    const rpd = (run: typeof node) => run?.metrics.rateLimitedBy.rpd ?? 0;
    expect(rpd(python)).toBeGreaterThan(0);
    // Each request the day refused is sent three times (two retries) but once by 3.3.1.
    expect(rpd(node)).toBe(3 * rpd(python));
    expect(old?.metrics).toEqual(node?.metrics);
  });

  test("its runs.poll (1 s without a hint) is rate limited at tier 1 where the Node SDK's (5 s) is not", async () => {
    for (const seed of [1, 2, 3]) {
      const scenario = tierPreset('1', seed);
      const config = { ...scenario, workload: { ...scenario.workload, flow: 'assistants' as const } };
      const node = await simulatePoller(config, parsePollerSpec('sdk'));
      const python = await simulatePoller(config, parsePollerSpec('sdk:lang=python'));
      expect(node.metrics.rateLimited, `seed ${seed}`).toBe(0);
      expect(python.metrics.rateLimited, `seed ${seed}`).toBeGreaterThan(0);
      expect(python.metrics.jobs.abandoned, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});

// Single-client bundled scenarios whose server sends rate-limit headers (flaky omits them on 429s;
// shared-org has three clients). burst and vector-store are the exceptions, reported in the README's
// known limits: adaptive stays 429-free there but reaches only 0.83 and 0.87 of the oracle (burst's bound
// is measured below, under per-second enforcement; on vector-store, 30 workers each wait for their batch,
// and adaptive spaces polls more than the oracle's one exact poll).
const HEADERED = [
  'seed-article',
  'free-tier',
  'tier-1',
  'tier-2',
  'tier-3',
  'tier-4',
  'tier-5',
  'quantized',
  'batch',
];
const BELOW_GOAL = ['burst', 'vector-store'];

describe('adaptive on the single-client bundled scenarios with headers', () => {
  for (const name of HEADERED) {
    test(`${name}: no rate-limit 429 and efficiency ≥ 0.9`, async () => {
      const scenario = loadScenario(name);
      const result = await runSimulation({
        ...scenario,
        pollers: ['adaptive', 'oracle'].map(parsePollerSpec),
      });
      const adaptive = result.pollers.find((p) => p.name === 'adaptive');
      expect(adaptive?.metrics.rateLimited).toBe(0);
      expect(adaptive?.metrics.efficiency).toBeGreaterThanOrEqual(0.9);
    });
  }

  test('every bundled scenario is checked here or named as the exception it is', () => {
    const exempt = ['flaky', 'shared-org', ...BELOW_GOAL];
    expect([...HEADERED, ...exempt].sort()).toEqual(bundledScenarioNames());
  });

  test.each(BELOW_GOAL)('%s: no rate-limit 429 (efficiency reported, below 0.9)', async (name) => {
    const result = await runSimulation({
      ...loadScenario(name),
      pollers: ['adaptive', 'oracle'].map(parsePollerSpec),
    });
    expect(result.pollers.find((p) => p.name === 'adaptive')?.metrics.rateLimited).toBe(0);
  });
});

describe('adaptive and per-second enforcement (quantized=yes|auto|no)', () => {
  const run = async (name: string) => {
    const result = await runSimulation({
      ...loadScenario(name),
      pollers: ['adaptive', 'adaptive:quantized=auto', 'adaptive:quantized=no'].map(parsePollerSpec),
    });
    return result.pollers.map((p) => p.metrics);
  };

  test('on a quantized server the headers cannot warn: only the guard from the start avoids 429s', async () => {
    const [yes, auto, no] = await run('quantized');
    expect(yes?.rateLimited).toBe(0);
    // auto pays for its one test burst, then keeps the guard; no keeps paying.
    expect(auto?.rateLimited).toBeGreaterThan(0);
    expect(no?.rateLimited).toBeGreaterThan(10 * (auto?.rateLimited as number));
    expect(auto?.makespanMs).toBeLessThan(1.02 * (yes?.makespanMs as number));
  });

  test('auto tests the server once: a second’s share plus one, in one instant, and every 429 is in it', async () => {
    // tier 1: 500 RPM, so a share of 8 a second and a test of 9.
    for (const [name, quantumMs] of [
      ['quantized', 1_000],
      ['vector-store', 1_000],
    ] as const) {
      const scenario = loadScenario(name);
      const run = await simulatePoller(
        {
          ...scenario,
          mock: { ...scenario.mock, limiter: { ...scenario.mock.limiter, quantization: { quantumMs } } },
          trace: true,
        },
        parsePollerSpec('adaptive:quantized=auto'),
      );
      const trace = run.trace ?? [];
      const refused = trace.filter((r) => r.status === 429);
      expect(refused.length, name).toBeGreaterThan(0);
      const at = refused[0]?.atMs as number;
      expect(
        refused.every((r) => r.atMs === at),
        name,
      ).toBe(true);
      // The test: more requests than the second's share that counted against the limit, all at `at`.
      const counted = trace.filter((r) => r.atMs === at && r.model !== undefined);
      const share = Math.floor((name === 'vector-store' ? 300 : 500) / 60);
      expect(counted.length, name).toBe(share + 1);
      // A store's requests carry no tokens: exactly the one over the share is refused.
      if (name === 'vector-store') expect(refused).toHaveLength(1);
      expect(run.metrics.jobs.abandoned, name).toBe(0);
    }
  });

  test('burst: why 0.9 is out of reach for a poller that must also be 429-free on a quantized server', async () => {
    // Such a poller cannot tell the two servers apart before its first 429, so on burst it can do no
    // better than on the same burst with per-second enforcement, where even the oracle loses > 5 %.
    const scenario = loadScenario('burst');
    const pollers = ['adaptive', 'oracle'].map(parsePollerSpec);
    const plain = await runSimulation({ ...scenario, pollers });
    const quantized = await runSimulation({
      ...scenario,
      mock: { ...scenario.mock, limiter: { ...scenario.mock.limiter, quantization: { quantumMs: 1_000 } } },
      pollers,
    });
    const [adaptive, oracle] = plain.pollers.map((p) => p.metrics);
    const [adaptiveQ, oracleQ] = quantized.pollers.map((p) => p.metrics);
    expect((oracle?.makespanMs as number) / (oracleQ?.makespanMs as number)).toBeLessThan(0.95);
    // The guard makes the two servers look alike to adaptive: the same run, no 429 on either.
    expect([adaptive?.rateLimited, adaptiveQ?.rateLimited]).toEqual([0, 0]);
    expect(adaptiveQ?.makespanMs).toBe(adaptive?.makespanMs);
  });

  test('on a server that does not quantize, the guard is what slows the burst; auto lifts it', async () => {
    const [yes, auto, no] = await run('burst');
    expect([yes?.rateLimited, auto?.rateLimited, no?.rateLimited]).toEqual([0, 0, 0]);
    expect(no?.makespanMs).toBeLessThan(0.95 * (yes?.makespanMs as number));
    // auto keeps the guard only until its test burst is answered, in the first seconds.
    expect(auto?.makespanMs).toBeLessThan(1.02 * (no?.makespanMs as number));
  });
});

describe('the oracle', () => {
  test('resolves every job through faults: it waits out the overload window and retries random 5xx', async () => {
    const run = await simulatePoller({ ...loadScenario('flaky'), trace: true }, parsePollerSpec('oracle'));
    expect(run.metrics.errors).toBeGreaterThan(0);
    expect(run.metrics.jobs.abandoned).toBe(0);
    // It sent nothing into the window (1m to 1m30s in flaky.yaml), and went on right after it.
    const sentAt = (run.trace ?? []).map((r) => r.atMs);
    expect(sentAt.filter((at) => at >= 60_000 && at < 90_000)).toEqual([]);
    expect(sentAt).toContain(90_000);
  });

  test('is never beaten on requests or makespan by a poller that finished every job', async () => {
    for (const name of ['seed-article', 'tier-1', 'quantized', 'flaky']) {
      const result = await runSimulation(loadScenario(name));
      const oracle = result.pollers.find((p) => p.name === 'oracle');
      for (const run of result.pollers) {
        if (run.metrics.jobs.abandoned > 0 || oracle === undefined) continue;
        expect(run.metrics.requests, `${run.name} on ${name}`).toBeGreaterThanOrEqual(
          oracle.metrics.requests,
        );
        expect(run.metrics.makespanMs, `${run.name} on ${name}`).toBeGreaterThanOrEqual(
          oracle.metrics.makespanMs,
        );
      }
    }
  });
});

describe('tuning a sleep interval (README, "Tuning a poller"), found on seeds 1–3', () => {
  const run = async (seed: number, workers: number, spec: string) => {
    const base = tierPreset('1', seed);
    const config = { ...base, workload: { ...base.workload, workers, jobs: 4 * workers } };
    return (await simulatePoller(config, parsePollerSpec(spec))).metrics;
  };

  test('at 36 jobs at a time, 2 s is rate limited and 3 s is the shortest interval that is not', async () => {
    for (const seed of [1, 2, 3]) {
      expect((await run(seed, 36, 'fixed:interval=2s')).rateLimited, `seed ${seed}`).toBeGreaterThan(0);
      const three = await run(seed, 36, 'fixed:interval=3s');
      expect(three.rateLimited, `seed ${seed}`).toBe(0);
      expect(three.jobs.abandoned, `seed ${seed}`).toBe(0);
    }
  });

  test('at twice the load 3 s abandons most jobs, and adaptive, told nothing, gets no 429', async () => {
    for (const seed of [1, 2, 3]) {
      const three = await run(seed, 72, 'fixed:interval=3s');
      expect(three.jobs.abandoned, `seed ${seed}`).toBeGreaterThan(288 / 2);
      const adaptive = await run(seed, 72, 'adaptive');
      expect(adaptive.rateLimited, `seed ${seed}`).toBe(0);
      expect(adaptive.jobs.abandoned, `seed ${seed}`).toBe(0);
    }
  });
});

describe('the seed program, tuned (README, "Searching a range")', () => {
  test('its 10 s sleep gets 429s on every seed; the interval --tune finds gets none, on seeds it did not see either', async () => {
    const config = { ...loadScenario('seed-article'), pollers: [] };
    const tuned = await tunePoller(config, parseTuneSpec('fixed:interval=1s..60s,gap=20s'), [1, 2, 3, 4, 5]);
    const best = tuned.pollers.find((p) => p.spec === tuned.tuning.best);
    expect(best?.runsRateLimited).toBe(0);
    expect(best?.jobs.abandoned).toBe(0);
    expect(best?.params.interval).toBeGreaterThan(30_000);
    const ten = await studySeeds(
      { ...config, pollers: [parsePollerSpec('fixed:interval=10s,gap=20s')] },
      [1, 2, 3, 4, 5],
    );
    for (const summary of ten.summaries) expect(summary.pollers[0]?.rateLimited).toBeGreaterThan(0);
    expect(tuned.tuning.heldOut?.seeds).toEqual([6, 7, 8, 9, 10]);
    expect(tuned.tuning.heldOut?.result.runsRateLimited).toBe(0);
  });
});

describe('the seed program, its interval and gap tuned together (README, "Two parameters at once")', () => {
  test("the pair --tune finds gets no 429 and is at least as fast as the interval tuned with the 20 s gap, away from the ranges' ends", async () => {
    const config = { ...loadScenario('seed-article'), pollers: [] };
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const options = { heldOutSeeds: [] };
    const both = await tunePoller(
      config,
      parseTuneSpec('fixed:interval=1s..60s,gap=0s..60s'),
      seeds,
      options,
    );
    const alone = await tunePoller(config, parseTuneSpec('fixed:interval=1s..60s,gap=20s'), seeds, options);
    const best = (tuned: typeof both) => tuned.pollers.find((p) => p.spec === tuned.tuning.best);
    expect(best(both)?.runsRateLimited).toBe(0);
    expect(best(both)?.jobs.abandoned).toBe(0);
    expect(best(both)?.efficiency?.mean).toBeGreaterThanOrEqual(best(alone)?.efficiency?.mean as number);
    // Not the long interval with no gap that a search from the best grid setting alone settles on.
    expect([both.tuning.atEnd, both.tuning.second?.atEnd]).toEqual([null, null]);
    // Every pair free of 429s adds up to 58 s or more: the free tier's budget per file.
    const sum = (t: { value: number; second?: number | undefined }) => t.value + (t.second ?? 0);
    const safe = both.tuning.tried.filter((t) => {
      const row = both.pollers.find((p) => p.spec === t.spec);
      return row?.runsRateLimited === 0 && row.jobs.abandoned === 0;
    });
    expect(Math.min(...safe.map(sum))).toBe(58_000);
    // The best lies on that line, and a walk along it found it (README: "Walks along the edge").
    const found = both.tuning.tried.find((t) => t.spec === both.tuning.best);
    expect(sum(found as never)).toBe(58_000);
    expect(found?.alongEdge).toBe(true);
    // Five a side ends on the same line, within a hundredth of eight a side's best; four a side never
    // sees the line (README: "Six and seven a side end at the same best; five a side at …").
    const grid = async (gridPoints: number) => {
      const tuned = await tunePoller(config, parseTuneSpec('fixed:interval=1s..60s,gap=0s..60s'), seeds, {
        ...options,
        gridPoints,
      });
      return { tuned, setting: tuned.tuning.tried.find((t) => t.spec === tuned.tuning.best) };
    };
    const five = await grid(5);
    expect(sum(five.setting as never)).toBe(58_000);
    expect(best(five.tuned)?.efficiency?.mean).toBeGreaterThan(
      (best(both)?.efficiency?.mean as number) - 0.01,
    );
    const four = await grid(4);
    expect(four.tuned.tuning.best).toBe('fixed:interval=1m,gap=0s');
  });
});

describe('the seed program, its retries tuned with both sleeps (README, "Three parameters")', () => {
  // docs/tune-seed-3d and docs/tune-seed-2d are the current output of their commands
  // (test/reports/golden.test.ts): what the README says of them is checked here.
  const three = docsTunedSummary('tune-seed-3d');
  const two = docsTunedSummary('tune-seed-2d');
  const row = (doc: TunedSummary, spec: string) =>
    doc.pollers.find((p) => p.spec === spec) as PollerAcrossSeeds;

  test('the same best pair as with two parameters, and retries make no difference there', () => {
    expect(three.tuning.best).toBe('fixed:interval=31s,gap=27s,retries=0');
    expect(two.tuning.best).toBe('fixed:interval=31s,gap=27s');
    const twin = row(three, 'fixed:interval=31s,gap=27s,retries=1');
    expect(JSON.stringify(twin.perSeed)).toBe(
      JSON.stringify(row(three, three.tuning.best as string).perSeed),
    );
    expect(three.tuning.heldOut?.result.runsRateLimited).toBe(0);
  });

  test("past the edge, no retries lose jobs where the SDK's two lose none", () => {
    const none = row(three, 'fixed:interval=30s,gap=27s,retries=0');
    const sdk = row(two, 'fixed:interval=30s,gap=27s');
    expect(sdk.params.retries).toBe(2);
    expect(none.runsRateLimited).toBe(sdk.runsRateLimited);
    expect(none.jobs.abandoned).toBeGreaterThan(0);
    expect(sdk.jobs.abandoned).toBe(0);
    expect(sdk.efficiency?.mean).toBeGreaterThan(none.efficiency?.mean as number);
  });

  test('fewer than six a side miss the ridge: five stops short of it, four at the long interval', async () => {
    const config = { ...loadScenario('seed-article'), pollers: [] };
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const target = parseTuneSpec('fixed:interval=1s..60s,gap=0s..60s,retries=0..2');
    const best = async (gridPoints: number) =>
      (await tunePoller(config, target, seeds, { gridPoints, heldOutSeeds: [] })).tuning.best;
    expect(await best(5)).toBe('fixed:interval=33s,gap=25s,retries=0');
    expect(await best(4)).toBe('fixed:interval=1m,gap=0s,retries=0');
  });
});

describe('--tune finds the edge of the 429s whatever its grid (README, "Searching a range")', () => {
  test('at tier 1, grids of 4, 8 and 16 settings all end at 3 s, beside 2.9 s, which gets 429s', async () => {
    const config = { ...tierPreset('1', 1), pollers: [] };
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const target = parseTuneSpec('fixed:interval=1s..30s');
    for (const gridPoints of [4, 8, 16]) {
      const tuned = await tunePoller(config, target, seeds, { gridPoints, heldOutSeeds: [] });
      expect([tuned.tuning.best, tuned.tuning.nearestUnsafe], `grid of ${gridPoints}`).toEqual([
        'fixed:interval=3s',
        'fixed:interval=2900ms',
      ]);
      const row = (spec: string | null) => tuned.pollers.find((p) => p.spec === spec);
      expect(row(tuned.tuning.nearestUnsafe)?.runsRateLimited).toBe(2);
      // Faster on average than any longer interval tried.
      const best = row(tuned.tuning.best)?.efficiency?.mean as number;
      for (const p of tuned.pollers)
        if (p.name === 'fixed' && (p.params.interval as number) > 3000)
          expect(p.efficiency?.mean).toBeLessThan(best);
    }
  });
});

describe('the seed program, its backoff jitter searched with its first delay (README, "Named values beside a range")', () => {
  // docs/tune-seed-jitter is the current output of its command (test/reports/golden.test.ts).
  const doc = docsTunedSummary('tune-seed-jitter');
  const row = (spec: string) => doc.pollers.find((p) => p.spec === spec) as PollerAcrossSeeds;
  test('no jitter is best, at the 38 s first delay that fixed needs too; 37 s gets 429s on six seeds, as with fixed', async () => {
    expect(doc.tuning.best).toBe('backoff:base=38s,jitter=none,gap=20s');
    expect(row(doc.tuning.best as string).efficiency?.mean).toBeGreaterThan(0.95);
    expect(doc.tuning.heldOut?.result.runsRateLimited).toBe(0);
    expect(row('backoff:base=37s,jitter=none,gap=20s').runsRateLimited).toBe(6);
    const pollers = ['fixed:interval=37s,gap=20s', 'fixed:interval=38s,gap=20s'].map(parsePollerSpec);
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const { summaries } = await studySeeds({ ...loadScenario('seed-article'), pollers }, seeds, {
      threads: 1,
    });
    const [at37, at38] = summarizeSeeds(summaries).pollers as [PollerAcrossSeeds, PollerAcrossSeeds];
    expect([at37.runsRateLimited, at38.runsRateLimited]).toEqual([6, 0]);
  });

  test('each jitter draws shorter delays: equal needs 57 s, and full gets 429s on every seed even at 1 m', () => {
    expect(unsafe(row('backoff:base=56s,jitter=equal,gap=20s'))).toBe(true);
    expect(unsafe(row('backoff:base=57s,jitter=equal,gap=20s'))).toBe(false);
    const full = doc.pollers.filter((p) => p.spec.includes('jitter=full'));
    expect(full.every((p) => p.runsRateLimited === p.runs)).toBe(true);
    expect(row('backoff:base=24s,jitter=decorrelated,gap=20s').runsRateLimited).toBe(0);
  });
});
