import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { summarize } from '../../reports/summary.ts';
import { summaryJson } from '../../reports/write-report.ts';
import { simulationArbitrary, simulationArgsArbitrary } from '../../sim/arbitraries.ts';
import { runSimulation } from '../../sim/engine.ts';
import { configFromArgs, studyArgs } from '../../sim/sim-flags.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { fcSeed } from '../helpers/seed.ts';

const CLI = fileURLToPath(new URL('../../sim/cli.ts', import.meta.url));
const PREFIX = 'npx pollbench-sim ';

/** The flags of a drawn study's replay command (its words need no quoting: no spaces in them). */
const replayArgs = (config: object): string[] => {
  const command = fc.stringify(config);
  expect(command.startsWith(PREFIX), command).toBe(true);
  return command.slice(PREFIX.length).split(' ');
};

describe(`simulation arbitraries (fast-check seed ${fcSeed()}; replay with FC_SEED)`, () => {
  fcTest.prop(
    [
      simulationArbitrary({
        faults: true,
        headers: true,
        flows: ['assistants', 'responses', 'batch', 'vector-store'],
        promptChars: {},
      }),
    ],
    {
      numRuns: 200,
    },
  )('a drawn study prints as the sim command whose config it is', (config) => {
    expect(configFromArgs(replayArgs(config))).toEqual(config);
  });

  fcTest.prop([
    simulationArgsArbitrary({
      tiers: ['3', '5'],
      flows: ['batch'],
      jobs: { min: 2, max: 4 },
      workers: { min: 5, max: 5 },
      clients: { min: 3, max: 3 },
      arrivals: ['poisson'],
      pollers: ['adaptive', 'fixed:interval=1s'],
      algorithms: ['fixed-window'],
      promptChars: { min: 5_000, max: 20_000 },
      args: ['--quantize', '1s'],
    }),
  ])('the options bound what is drawn', (args) => {
    const config = configFromArgs(args);
    expect(config.workload.promptChars).toBeGreaterThanOrEqual(5_000);
    expect(config.workload.promptChars).toBeLessThanOrEqual(20_000);
    expect(['3', '5']).toContain(config.mock.tier);
    expect(config.workload).toMatchObject({
      flow: 'batch',
      workers: 5,
      clients: 3,
      arrival: { kind: 'poisson' },
    });
    expect(config.workload.jobs).toBeGreaterThanOrEqual(2);
    expect(config.workload.jobs).toBeLessThanOrEqual(4);
    expect(config.pollers.map((p) => p.name)).toEqual(['adaptive', 'fixed']);
    expect(config.mock.limiter).toMatchObject({
      algorithm: 'fixed-window',
      quantization: { quantumMs: 1000 },
    });
  });

  test("prompt sizes are drawn on a log scale over the range, both ends included; left out, the preset's", () => {
    const sizes = (promptChars: { min?: number; max?: number } | undefined, numRuns = 2_000) =>
      fc
        .sample(simulationArbitrary({ tiers: ['1'], ...(promptChars && { promptChars }) }), {
          seed: fcSeed(),
          numRuns,
        })
        .map((config) => config.workload.promptChars);
    const drawn = sizes({});
    expect(Math.min(...drawn)).toBe(1);
    expect(Math.max(...drawn)).toBe(1_000_000);
    // Each of the six powers of ten takes about a sixth of the draws; fast-check's lean towards the ends
    // adds about a sixth more to the first (0.27–0.28 over seeds 1–3) and a little to the last.
    for (let decade = 0; decade < 6; decade++) {
      const share = drawn.filter((n) => n >= 10 ** decade && n < 10 ** (decade + 1)).length / drawn.length;
      expect(share, `from ${10 ** decade}`).toBeGreaterThan(0.08);
      expect(share, `from ${10 ** decade}`).toBeLessThan(decade === 0 ? 0.4 : 0.3);
    }
    expect(new Set(sizes({ min: 7, max: 9 }, 200))).toEqual(new Set([7, 8, 9]));
    expect(new Set(sizes({ min: 300, max: 300 }, 20))).toEqual(new Set([300]));
    const preset = configFromArgs(['--tier', '1']).workload.promptChars;
    expect(new Set(sizes(undefined, 50))).toEqual(new Set([preset]));
  });

  test('a failing property reports the command that replays its shrunk counterexample', async () => {
    const details = await fc.check(
      fc.asyncProperty(simulationArbitrary({ tiers: ['free'], pollers: ['adaptive'] }), async (config) => {
        const result = await runSimulation(config);
        return (result.pollers[0]?.metrics.requests ?? 0) < 20;
      }),
      { seed: 7, numRuns: 100 },
    );
    expect(details.failed).toBe(true);
    const [config] = details.counterexample ?? [];
    if (config === undefined) throw new Error('no counterexample');
    expect(fc.stringify(config)).toMatch(/^npx pollbench-sim --tier free --workload assistants --jobs \d+ /);
    // The printed command is the counterexample: its flags give a study that fails the same way.
    const replayed = await runSimulation(configFromArgs(replayArgs(config)));
    expect(replayed.pollers[0]?.metrics.requests).toBeGreaterThanOrEqual(20);
    expect(details.numShrinks).toBeGreaterThan(0);
  });

  test("the README's counterexample is what fast-check prints for the property it states", async () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const printed = /^Counterexample: \[(.*)\]$/m.exec(readme)?.[1];
    const details = await fc.check(
      fc.asyncProperty(
        simulationArbitrary({ tiers: ['free'], pollers: ['fixed:interval=2s'] }),
        async (config) => {
          const { pollers } = await runSimulation(config);
          return pollers[0]?.metrics.rateLimited === 0;
        },
      ),
      { seed: 42 },
    );
    expect(fc.stringify(details.counterexample?.[0])).toBe(printed);
  });

  test('the sim command given the printed flags prints the same summary as the drawn config', async () => {
    const [config] = fc.sample(
      simulationArbitrary({ tiers: ['1'], pollers: ['adaptive', 'sdk'], faults: true }),
      {
        seed: 11,
        numRuns: 1,
      },
    );
    if (config === undefined) throw new Error('no sample');
    const { status, stdout, stderr } = spawnSync(
      process.execPath,
      ['--conditions=pollbench-source', CLI, ...replayArgs(config), '--json'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    // The command also records its flags (all of them are the study's here; --seed is left out).
    const args = studyArgs(replayArgs(config));
    expect(args).not.toContain('--seed');
    expect(stdout).toBe(summaryJson(summarize(await runSimulation(config), args)));
  });

  test('options that describe no study are refused at once, with what was expected', () => {
    expect(() => simulationArbitrary({ tiers: [] })).toThrow(/tiers must list at least one value/);
    expect(() => simulationArbitrary({ jobs: { min: 0 } })).toThrow(
      /jobs must be whole numbers with 1 ≤ min ≤ max/,
    );
    expect(() => simulationArbitrary({ failRateMax: 2 })).toThrow(/failRateMax must be a probability/);
    expect(() => simulationArbitrary({ args: ['--seed', '3'] })).toThrow(
      /must not give --seed, which is drawn/,
    );
    expect(() => simulationArbitrary({ pollers: ['every-9s'] })).toThrow(UsageError);
    expect(() => simulationArbitrary({ pollers: ['every-9s'] })).toThrow(/unknown poller 'every-9s'/);
    expect(() => simulationArbitrary({ args: ['--no-such-flag'] })).toThrow(UsageError);
    expect(() => simulationArbitrary({ promptChars: { min: 0 } })).toThrow(
      /promptChars must be whole numbers with 1 ≤ min ≤ max ≤ 1,000,000; got \{"min":0\}/,
    );
    expect(() => simulationArbitrary({ promptChars: { max: 2_000_000 } })).toThrow(/≤ 1,000,000/);
    // Given by the option, the flag is drawn; without it, args may give it.
    expect(() => simulationArbitrary({ promptChars: {}, args: ['--prompt-chars', '9'] })).toThrow(
      /must not give --prompt-chars, which is drawn/,
    );
    expect(() => simulationArbitrary({ args: ['--prompt-chars', '9'] })).not.toThrow();
  });

  test('the replay command names the modules of pollers of your own, quoted for the shell', () => {
    const [config] = fc.sample(simulationArbitrary({ imports: ["./my pollers/it's.ts"] }), {
      seed: 1,
      numRuns: 1,
    });
    expect(fc.stringify(config)).toMatch(
      /^npx pollbench-sim --import '\.\/my pollers\/it'\\''s\.ts' --tier /,
    );
  });
});
